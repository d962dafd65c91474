import path from 'node:path';
import { parseBenchArgs, stamp, UsageError, type BenchOptions } from './bench-options';

const now = new Date('2025-01-31T12:34:56.789Z');
const parse = (...argv: string[]) => parseBenchArgs(argv, now, '/repo') as BenchOptions;

test('defaults measure everything with the issue\'s trial counts and a timestamped report directory', () => {
  const o = parse();
  expect(o.sections).toEqual(['read', 'write', 'lag', 'failover', 'catchup', 'history', 'memory']);
  expect(o).toMatchObject({ loadTrials: 3, durationS: 5, failoverTrials: 10, catchupTrials: 3, connections: [1, 16, 64], slaves: [1, 3] });
  expect(o.catchupSizes).toEqual([10000, 100000]);
  expect(o.historyWrites).toBe(1000000);
  expect(o.out).toBe(path.join('/repo', 'reports', 'bench-2025-01-31T12-34-56Z'));
});

test('--quick shortens runs; --trials overrides every trial count', () => {
  expect(parse('--quick')).toMatchObject({ quick: true, loadTrials: 1, durationS: 2, failoverTrials: 3, lagDurationS: 3 });
  expect(parse('--quick', '--trials', '4')).toMatchObject({ loadTrials: 4, failoverTrials: 4, catchupTrials: 4 });
});

test('--only keeps the canonical order; lists and --env are parsed', () => {
  const o = parse('--only', 'memory,read', '--connections', '2, 8', '--catchup-sizes', '500,100,500', '--env', 'ZK_SESSION_TIMEOUT_MS=1500', '--env', 'X=a=b', '--out', 'here');
  expect(o.sections).toEqual(['read', 'memory']);
  expect(o.connections).toEqual([2, 8]);
  expect(o.catchupSizes).toEqual([100, 500]);
  expect(o.env).toEqual({ ZK_SESSION_TIMEOUT_MS: '1500', X: 'a=b' });
  expect(o.out).toBe(path.join('/repo', 'here'));
});

test('help and bad input', () => {
  expect(parseBenchArgs(['--help'])).toBe('help');
  expect(parseBenchArgs(['-h'])).toBe('help');
  expect(() => parse('--only', 'reads')).toThrow(/--only takes a list/);
  expect(() => parse('--trials', '0')).toThrow(UsageError);
  expect(() => parse('--trials', '2.5')).toThrow(/--trials must be an integer/);
  expect(() => parse('--duration', 'x')).toThrow(/--duration/);
  expect(() => parse('--env', 'lower=1')).toThrow(/--env takes KEY=VALUE/);
  expect(() => parse('--bogus')).toThrow(UsageError);
  expect(() => parse('positional')).toThrow(UsageError);
});

test('stamps are safe in directory names', () => {
  expect(stamp(now)).toBe('2025-01-31T12-34-56Z');
});
