import { LocalEnvironment } from '../environment/local-environment';
import { runScenario } from '../runner/run-scenario';
import { DEFAULT_OPTIONS } from './scenario';
import { masterCrash } from './master-crash';

/*
 * The harness must catch a broken promise, not only bless a working system: with replication switched off on purpose
 * (UNSAFE_SKIP_REPLICATION, meant for this test only), the master-crash scenario has to fail, and say why.
 */
test('master-crash fails with "lost acknowledged writes", and the read checkers fail too, when slaves do not apply the log', async () => {
  const lines: string[] = [];
  const report = await runScenario(
    masterCrash,
    { ...DEFAULT_OPTIONS, durationS: 12, rate: 30, settings: { UNSAFE_SKIP_REPLICATION: 'true' } },
    { environment: new LocalEnvironment(), progress: (l) => lines.push(l) },
  );
  const integrity = report.verdicts.find((v) => v.checker === 'write-integrity');
  expect(report.valid).toBe(false);
  expect(integrity?.valid).toBe(false);
  expect(integrity?.summary).toMatch(/lost \d+ acknowledged writes?/);
  // What clients read shows it as well: slaves answer at LSNs whose writes they never applied, to plain reads and to
  // reads that asked for their own writes, and keep missing them long after the acknowledgement.
  const verdict = (name: string) => report.verdicts.find((v) => v.checker === name);
  expect(verdict('prefix')?.valid).toBe(false);
  expect(verdict('prefix')?.summary).toMatch(/missed acknowledged writes at or below their LSN/);
  expect(verdict('read-your-writes')?.valid).toBe(false);
  expect(verdict('staleness')?.valid).toBe(false);
  // The faults really happened and the election itself was right: the failure is pinned on the lost writes.
  expect(report.history.faults.map((f) => f.kind)).toEqual(['kill-master', 'kill-master']);
  expect(report.verdicts.find((v) => v.checker === 'election')?.valid).toBe(true);
}, 180_000);
