import { STALENESS_DEFAULTS } from '../checkers/staleness-checker';
import { FAULT_KINDS, RECOVERABLE_FAULT_KINDS } from '../nemesis/registry';
import { parseScenarioArgs, USAGE, UsageError } from './scenario-args';

test('defaults, and options parsed into a run', () => {
  const p = parseScenarioArgs(['chaos', '--duration', '45', '--seed', '7', '--set', 'ZK_SESSION_TIMEOUT_MS=2000', '--faults', 'kill-master,pause-worker']);
  expect(p).toEqual(
    expect.objectContaining({
      kind: 'run',
      scenario: 'chaos',
      options: expect.objectContaining({ durationS: 45, seed: 7, environment: 'local', faults: ['kill-master', 'pause-worker'], settings: { ZK_SESSION_TIMEOUT_MS: '2000' } }),
    }),
  );
});

test('--max-stale sets the staleness bound of the mixed-load scenarios; its default is the checker\'s', () => {
  const run = (argv: string[]) => parseScenarioArgs(argv) as Extract<ReturnType<typeof parseScenarioArgs>, { kind: 'run' }>;
  expect(run(['master-crash', '--max-stale', '250']).options.maxStaleMs).toBe(250);
  expect(run(['master-crash']).options.maxStaleMs).toBe(STALENESS_DEFAULTS.maxStaleMs);
  expect(() => parseScenarioArgs(['master-crash', '--max-stale', 'soon'])).toThrow(/--max-stale must be an integer/);
});

test('--help and --list need no scenario', () => {
  expect(parseScenarioArgs(['--help'])).toEqual({ kind: 'help' });
  expect(parseScenarioArgs(['--list'])).toEqual({ kind: 'list' });
});

test.each([
  [[], /name a scenario/],
  [['a', 'b'], /one scenario at a time/],
  [['chaos', '--duration', '0'], /--duration must be from 5 s to 12 h/],
  [['chaos', '--duration', '13h'], /--duration must be from 5 s to 12 h/],
  [['chaos', '--duration', '1d'], /in seconds or with a unit \(90s, 30m, 1h\), got "1d"/],
  [['chaos', '--rate', 'fast'], /--rate must be an integer/],
  [['chaos', '--env', 'k8s'], /--env must be local or docker/],
  [['chaos', '--set', 'lower=1'], /--set takes KEY=VALUE/],
  [['chaos', '--faults', 'kill-master,drop-table'], /--faults takes/],
  [['chaos', '--bogus'], /Unknown option/],
])('%j is a usage error naming the problem', (argv, message) => {
  expect(() => parseScenarioArgs(argv as string[])).toThrow(UsageError);
  expect(() => parseScenarioArgs(argv as string[])).toThrow(message);
});

test('an unknown fault is refused with the list of valid ones, all from the registry', () => {
  expect(() => parseScenarioArgs(['chaos', '--faults', 'kill-master,drop-table'])).toThrow(`--faults takes a comma-separated list of ${FAULT_KINDS.join(', ')}; got "kill-master,drop-table"`);
  for (const kind of FAULT_KINDS) expect(parseScenarioArgs(['chaos', '--faults', kind])).toMatchObject({ options: { faults: [kind] } });
  expect(parseScenarioArgs(['chaos'])).toMatchObject({ options: { faults: RECOVERABLE_FAULT_KINDS } });
});

test('the help text offers every registered fault', () => {
  for (const kind of FAULT_KINDS) expect(USAGE).toContain(kind);
});

test('an unknown --set key is a usage error naming the closest settings and listing them all', () => {
  expect(() => parseScenarioArgs(['chaos', '--set', 'ZK_SESION_TIMEOUT_MS=2000'])).toThrow(UsageError);
  expect(() => parseScenarioArgs(['chaos', '--set', 'ZK_SESION_TIMEOUT_MS=2000'])).toThrow(/--set ZK_SESION_TIMEOUT_MS: not a setting \(closest: ZK_SESSION_TIMEOUT_MS\)/);
  expect(() => parseScenarioArgs(['chaos', '--set', 'FOO=1'])).toThrow(/coordination: ZK_SESSION_TIMEOUT_MS, .*ZK_ROOT/);
  expect(() => parseScenarioArgs(['chaos', '--set', 'WORKER_ID=w1'])).toThrow(/WORKER_ID: not a setting/);
});

test('--live serves the live view on the LIVE_PORT setting unless --live-port names one', () => {
  const run = (argv: string[]) => parseScenarioArgs(argv) as Extract<ReturnType<typeof parseScenarioArgs>, { kind: 'run' }>;
  expect(run(['load']).live).toBeNull();
  expect(run(['load', '--live']).live).toEqual({});
  expect(run(['load', '--live-port', '9000']).live).toEqual({ port: 9000 });
  expect(() => parseScenarioArgs(['load', '--live-port', '70000'])).toThrow(/--live-port must be an integer from 0 to 65535/);
  expect(USAGE).toContain('--live');
});

test.each([
  ['45', 45],
  ['90s', 90],
  ['30m', 1800],
  ['1h', 3600],
  ['1.5h', 5400],
])('--duration %s is %i s', (value, seconds) => {
  expect(parseScenarioArgs(['soak', '--duration', value])).toMatchObject({ options: { durationS: seconds } });
});
