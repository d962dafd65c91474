import { parseArgs } from 'node:util';
import { formatSummary } from './print-summary';
import { syntheticReport } from './synthetic-report';
import { writeReport } from './write-report';

const HELP = `Usage: npx tsx harness/report/demo-report.ts [--out DIR] [--seed N]

Writes a report made from SYNTHETIC data (no system is run) to DIR (default: reports/), to see what a scenario
report looks like: report.json, report.md and report.html under DIR/<timestamp>-master-crash-demo/.
The story: 4 clients for 60 s, the master killed at 20 s, a slave added at 40 s and killed at 47 s.
Prints the terminal summary the scenario CLI prints, then the paths written.`;

function main(): void {
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'reports' }, seed: { type: 'string', default: '7' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return void console.log(HELP);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got ${values.seed}`);
  const report = syntheticReport({ seed });
  const written = writeReport(report, { root: values.out });
  console.log(formatSummary(report, written.summary, { color: process.stdout.isTTY }));
  console.log(`\nwrote ${written.html}\n      ${written.markdown}\n      ${written.json}`);
}

try {
  main();
} catch (err) {
  console.error(`demo-report: ${(err as Error).message}`);
  process.exit(1);
}
