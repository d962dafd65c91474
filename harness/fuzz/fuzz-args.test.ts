import { FuzzUsageError, parseFuzzArgs } from './fuzz-args';

describe('fuzz CLI arguments', () => {
  test('defaults: 10,000 requests, a fifth as many poison messages, 4 at a time, a seed from the clock', () => {
    expect(parseFuzzArgs([], 1234)).toEqual({ requests: 10_000, poison: 2_000, concurrency: 4, seed: 1234 });
  });

  test('--name value and --name=value', () => {
    expect(parseFuzzArgs(['--requests', '500', '--seed=7', '--poison', '0', '--concurrency=2'])).toEqual({ requests: 500, seed: 7, poison: 0, concurrency: 2 });
    expect(parseFuzzArgs(['--seed', '9', '--help'])).toBe('help');
  });

  test.each([[['--requests']], [['--requests', '-1']], [['--requests', '0']], [['--seed', '1.5']], [['--bogus']], [['--concurrency', '100']]])('refuses %j', (argv) => {
    expect(() => parseFuzzArgs(argv)).toThrow(FuzzUsageError);
  });
});
