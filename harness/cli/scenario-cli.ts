import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../system/common/config/config';
import { validityWord } from '../core/checker';
import { createEnvironment } from '../environment/environments';
import { formatSummary } from '../report/print-summary';
import { startLiveServer } from '../report/live-server';
import { writeReport } from '../report/write-report';
import { runScenario } from '../runner/run-scenario';
import { findScenario, SCENARIOS } from '../scenarios';
import { parseScenarioArgs, USAGE, UsageError } from './scenario-args';

async function main(): Promise<number> {
  const args = parseScenarioArgs(process.argv.slice(2));
  if (args.kind === 'help') return void console.log(USAGE), 0;
  if (args.kind === 'list') {
    for (const s of SCENARIOS) console.log(`${s.name.padEnd(14)}${s.description}\n`);
    return 0;
  }
  const scenario = findScenario(args.scenario);
  if (!scenario) throw new UsageError(`unknown scenario "${args.scenario}"; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  // A bad --set value is refused here, before anything starts, with the variable's name.
  const config = loadConfig({ ...process.env, ...args.options.settings });
  const environment = await createEnvironment(args.options.environment);
  const live = args.live
    ? await startLiveServer({ port: args.live.port ?? config.livePort, updateMs: config.liveUpdateMs, title: scenario.name })
    : undefined;
  if (live) console.error(`live view: ${live.url}`);
  // The workers' logs land beside the run's report (logs/), where a failed check can be traced to what a worker said.
  const logs = path.join(path.resolve(args.outDir), `.logs-${process.pid}`);
  let report;
  try {
    report = await runScenario(scenario, args.options, { environment, progress: (line) => console.error(line), signal: interrupt.signal, observe: live?.attach, keepLogsIn: logs });
  } catch (err) {
    fs.rmSync(logs, { recursive: true, force: true });
    await live?.close(`the run failed: ${(err as Error).message}`);
    throw err;
  }
  let written;
  try {
    written = writeReport(report, { root: args.outDir });
    if (fs.existsSync(logs)) fs.renameSync(logs, path.join(written.dir, 'logs'));
  } finally {
    fs.rmSync(logs, { recursive: true, force: true });
  }
  await live?.close(`${validityWord(report.valid)}: the run is over; the report is ${written.html}`);
  console.log(formatSummary(report, written.summary, { color: process.stdout.isTTY }));
  console.log(`report: ${written.html}\n        ${written.markdown}\n        ${written.json}`);
  const notPassed = report.verdicts.filter((v) => v.valid !== true).map((v) => `${v.checker} ${validityWord(v.valid)}`);
  console.log(report.valid === true ? `PASS ${scenario.name}` : `${validityWord(report.valid)} ${scenario.name}: ${notPassed.join(', ')}`);
  // An undecided checker fails the command too: CI must not read "could not tell" as "correct".
  return report.valid === true ? 0 : 1;
}

const interrupt = new AbortController();
process.on('SIGINT', () => {
  // The first Ctrl-C ends the workload and the faults; the run then stops the system and writes what it saw.
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort();
  console.error('interrupted: ending the workload, then stopping the system (Ctrl-C again to leave at once)');
});

main().then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof UsageError) {
      console.error(`scenario: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`scenario: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
