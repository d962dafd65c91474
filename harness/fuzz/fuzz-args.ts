/** The fuzz CLI's options. */
export interface FuzzArgs {
  requests: number;
  seed: number;
  poison: number;
  concurrency: number;
}

export class FuzzUsageError extends Error {}

const INT = /^\d{1,9}$/;

/** Parses `--requests N --seed S --poison P --concurrency C` (and `--name=value`); 'help' for --help / -h. */
export function parseFuzzArgs(argv: string[], now = Date.now()): FuzzArgs | 'help' {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const m = /^--(requests|seed|poison|concurrency)(?:=(.*))?$/.exec(arg);
    if (!m) throw new FuzzUsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined || !INT.test(value)) throw new FuzzUsageError(`--${m[1]} takes a non-negative integer, got ${JSON.stringify(value)}`);
    values[m[1]] = value;
  }
  const requests = Number(values.requests ?? 10_000);
  const concurrency = Number(values.concurrency ?? 4);
  if (requests < 1) throw new FuzzUsageError('--requests must be at least 1');
  if (concurrency < 1 || concurrency > 64) throw new FuzzUsageError('--concurrency must be 1..64');
  return {
    requests,
    seed: Number(values.seed ?? now % 1_000_000_000),
    poison: Number(values.poison ?? Math.ceil(requests / 5)),
    concurrency,
  };
}
