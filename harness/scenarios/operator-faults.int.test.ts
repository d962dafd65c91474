import type { FaultKind } from '../core/history';
import { LocalEnvironment } from '../environment/local-environment';
import { runScenario } from '../runner/run-scenario';
import { chaos } from './chaos';
import { operatorFaults } from './operator-faults';
import { DEFAULT_OPTIONS } from './scenario';

/*
 * What an operator breaks by hand, on the real system under the mixed load: the faults the system recovers from (one
 * run), and the two after which it stops by design (a run each). Regression tests of what these faults found: a master
 * elected after writeQ was deleted died consuming the missing queue (the election took 15 s and chose a higher PID).
 */
const progress = (lines: string[]) => (l: string) => lines.push(l);

test('writeQ, readQ and responseQ deleted, the workers\' disk filled, the master\'s clock skewed: the system recovers from each by itself', async () => {
  const lines: string[] = [];
  const report = await runScenario(operatorFaults, { ...DEFAULT_OPTIONS, durationS: 50, rate: 30 }, { environment: new LocalEnvironment(), progress: progress(lines) });
  const notes = Object.fromEntries(report.history.faults.map((f) => [f.kind, f.note ?? ''])) as Record<FaultKind, string>;
  expect(Object.keys(notes)).toEqual(['delete-write-queue', 'delete-read-queue', 'delete-response-queue', 'fill-disk', 'skew-clock']);
  // Each fault took effect, and says how.
  expect(notes['delete-write-queue']).toMatch(/^writeQ deleted \(1 consumer\(s\), \d+ message\(s\) went with it\); its consumers \(PIDs \d+\) exited within \d+ ms$/);
  expect(notes['delete-read-queue']).toMatch(/^readQ deleted \(2 consumer\(s\), .*; its consumers \(PIDs \d+, \d+\) exited within \d+ ms$/);
  expect(notes['delete-response-queue']).toMatch(/^responseQ deleted \(1 consumer\(s\), .*; consumed again after \d+ ms$/);
  // CI runs as root, where the tmpfs mounts; elsewhere the fault must say in one line that it did not run.
  if (process.getuid?.() === 0) expect(notes['fill-disk']).toMatch(/MB written into \d+'s directory; took effect: ENOSPC, 0 bytes free$/);
  else expect(notes['fill-disk']).toMatch(/^skipped: .* is not a tmpfs of its own/);
  // .ci/run installs libfaketime: the master's clock really moved.
  expect(notes['skew-clock']).toMatch(/^master \d+: wall clock \+30s x2 for 5000 ms; took effect: libfaketime mapped in its process, offset file written$/);
  const failed = report.verdicts.filter((v) => v.valid !== true).map((v) => `${v.checker}: ${v.summary}`);
  expect(failed).toEqual([]);
  // writeQ's deletion moves the master; a full disk (the master's too) and a clock ahead (its lease lapses early) may,
  // which is no promise either way; the others must leave it where it was.
  expect(report.history.elections.map((e) => e.fault.kind).filter((k) => k !== 'skew-clock' && k !== 'fill-disk')).toEqual(['delete-write-queue']);
}, 600_000);

test.each(['delete-sync-queue', 'wipe-rabbitmq'] as const)('%s stops the system by design: nothing answered after, and the verdict says so', async (kind) => {
  const lines: string[] = [];
  // Long enough that requests go on after the stop: a broker restart under load can take tens of seconds.
  const durationS = kind === 'wipe-rabbitmq' ? 90 : 40;
  const report = await runScenario(chaos, { ...DEFAULT_OPTIONS, durationS, rate: 30, faults: [kind] }, { environment: new LocalEnvironment(), progress: progress(lines) });
  const verdict = (name: string) => report.verdicts.find((v) => v.checker === name);
  expect(report.history.faults.map((f) => f.kind)).toEqual([kind]);
  expect(report.history.stopped?.kind).toBe(kind);
  expect(verdict('stop')?.valid).toBe(true);
  expect(verdict('stop')?.summary).toMatch(new RegExp(`^STOPPED BY DESIGN after ${kind} at .*, it then refused everything for [\\d.]+ s \\(0 of \\d+ writes? and 0 of \\d+ reads? acknowledged, no master ready again\\)$`));
  // Not a silent pass: what cannot be judged any more says so, and the run as a whole is no pass.
  expect(verdict('write-integrity')).toMatchObject({ valid: 'unknown', summary: expect.stringMatching(/^not judged: the system stopped by design/) });
  expect(verdict('convergence')?.valid).toBe('unknown');
  expect(report.valid).toBe('unknown');
  // What clients read and were acknowledged before the stop still holds.
  for (const name of ['prefix', 'read-your-writes', 'fencing', 'availability']) expect(verdict(name)?.valid).not.toBe(false);
}, 400_000);
