import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMPARE_DEFAULTS, CompareInputError, compareReports, readRun } from '../report/compare';
import { renderCompareHtml, renderCompareMarkdown } from '../report/compare-render';

export const REPORT_USAGE = `Usage: npm run report -- compare <run A> <run B> [options]

Compares two scenario runs, each a report directory (reports/<timestamp>-<name>/) or its report.json: throughput,
latency percentiles, error shares and verdicts side by side, with B's difference from A in per cent. Prints the
comparison as Markdown and writes compare.md and compare.html. Exits 1 when B is worse than A beyond the threshold
(a regression), 2 on a usage error or an unreadable report, else 0.

Options:
  --threshold PCT        largest accepted worsening of throughput or of a latency p50/p90/p99, per cent of A's value
                         (default ${COMPARE_DEFAULTS.thresholdPct})
  --max-error-rise PTS   largest accepted rise of an error share, percentage points (default ${COMPARE_DEFAULTS.maxErrorRisePoints})
  --out DIR              where compare.md and compare.html go (default: reports/compare-<A>-vs-<B>)
  -h, --help             this text`;

export class ReportUsageError extends Error {}

export interface CompareArgs {
  a: string;
  b: string;
  thresholdPct: number;
  maxErrorRisePoints: number;
  out?: string;
}

function nonNegative(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || v.trim() === '') throw new ReportUsageError(`--${name} must be a number >= 0, got "${v}"`);
  return n;
}

export function parseReportArgs(argv: string[]): { kind: 'help' } | ({ kind: 'compare' } & CompareArgs) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h' }, threshold: { type: 'string' }, 'max-error-rise': { type: 'string' }, out: { type: 'string' } },
    });
  } catch (err) {
    throw new ReportUsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...runs] = positionals;
  if (command !== 'compare') throw new ReportUsageError(command ? `unknown command "${command}" (known: compare)` : 'name a command: compare');
  if (runs.length !== 2) throw new ReportUsageError(`compare takes two runs (A, then B), got ${runs.length}`);
  return {
    kind: 'compare',
    a: runs[0],
    b: runs[1],
    thresholdPct: nonNegative('threshold', values.threshold, COMPARE_DEFAULTS.thresholdPct),
    maxErrorRisePoints: nonNegative('max-error-rise', values['max-error-rise'], COMPARE_DEFAULTS.maxErrorRisePoints),
    ...(values.out !== undefined ? { out: values.out } : {}),
  };
}

const runName = (p: string) => path.basename(path.basename(p) === 'report.json' ? path.dirname(p) : p);

function main(): number {
  const args = parseReportArgs(process.argv.slice(2));
  if (args.kind === 'help') return void console.log(REPORT_USAGE), 0;
  const a = readRun(args.a);
  const b = readRun(args.b);
  const cmp = compareReports(a, b, { thresholdPct: args.thresholdPct, maxErrorRisePoints: args.maxErrorRisePoints });
  const out = path.resolve(args.out ?? path.join('reports', `compare-${runName(a.path)}-vs-${runName(b.path)}`));
  fs.mkdirSync(out, { recursive: true });
  const md = renderCompareMarkdown(cmp);
  fs.writeFileSync(path.join(out, 'compare.md'), md);
  fs.writeFileSync(path.join(out, 'compare.html'), renderCompareHtml(cmp));
  console.log(md);
  console.log(`compare: ${path.join(out, 'compare.html')}\n         ${path.join(out, 'compare.md')}`);
  return cmp.regressions === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof ReportUsageError || err instanceof CompareInputError) {
    console.error(`report: ${err.message}\n\n${REPORT_USAGE}`);
    process.exitCode = 2;
  } else {
    console.error(`report: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  }
}
