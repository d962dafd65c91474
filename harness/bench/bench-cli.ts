import os from 'node:os';
import path from 'node:path';
import { ensureTestServices } from '../testing/test-services';
import { HELP, parseBenchArgs, UsageError, type BenchOptions, type SectionId } from './bench-options';
import { emptySection, writeReport, type BenchReport, type SectionReport } from './bench-report';
import { BenchContext } from './bench-system';
import { runCatchUp } from './catch-up';
import { runLongHistory } from './long-history';
import { runFailover } from './failover';
import { runMemory } from './memory-section';
import { runReadPath } from './read-path';
import { runReplicationLag } from './replication-lag';
import { runWritePath } from './write-path';

type Runner = (ctx: BenchContext, o: BenchOptions, log: (msg: string) => void) => Promise<SectionReport>;

const RUNNERS: Record<SectionId, { title: string; run: Runner }> = {
  read: { title: 'Read path', run: runReadPath },
  write: { title: 'Write path', run: runWritePath },
  lag: { title: 'Replication lag', run: runReplicationLag },
  failover: { title: 'Failover', run: runFailover },
  catchup: { title: 'Catch-up', run: runCatchUp },
  history: { title: 'Long history: snapshots and restart', run: runLongHistory },
  memory: { title: 'Memory', run: runMemory },
};

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    loadAverageAtStart: os.loadavg(),
  };
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`bench: ${err.message}\n\n${HELP}`);
    return 2;
  }
  if (options === 'help') {
    console.log(HELP);
    return 0;
  }
  const o = options;
  const t0 = Date.now();
  const log = (msg: string) => {
    const s = Math.round((Date.now() - t0) / 1000);
    console.log(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${msg}`);
  };
  const startedAt = new Date().toISOString();
  const m = machine();
  log(`bench: ${o.sections.join(', ')} on ${m.cores} cores${o.quick ? ' (quick)' : ''}; report in ${path.relative(process.cwd(), o.out) || '.'}`);
  process.env.TEST_LOG_LEVEL ??= 'warn';
  const services = await ensureTestServices('bench');
  const ctx = new BenchContext(path.join(o.out, 'logs'), o.env);
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    log('interrupted: stopping the systems this run started');
    void ctx
      .stopAll()
      .then(() => services.stop())
      .finally(() => process.exit(130));
  });

  const sections: SectionReport[] = [];
  let failed = 0;
  try {
    for (const id of o.sections) {
      const { title, run } = RUNNERS[id];
      const started = Date.now();
      log(`== ${title} ==`);
      let section: SectionReport;
      try {
        section = await run(ctx, o, log);
      } catch (err) {
        if (interrupted) throw err;
        failed++;
        log(`${title} failed: ${(err as Error).message}`);
        section = emptySection(id, title, 'The section did not complete.');
        section.error = (err as Error).message;
        await ctx.stopAll();
      }
      section.durationS = (Date.now() - started) / 1000;
      sections.push(section);
    }
  } finally {
    await ctx.stopAll();
    await services.stop();
  }

  const report: BenchReport = { startedAt, endedAt: new Date().toISOString(), machine: m, options: { ...o, out: path.relative(process.cwd(), o.out) }, sections };
  const files = writeReport(o.out, report);
  console.log('\nTargets (goals, reported, not asserted):');
  for (const t of sections.flatMap((s) => s.targets)) {
    console.log(`  ${t.met === null ? 'not measured' : t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.measured}`);
  }
  console.log(`\nReport: ${path.relative(process.cwd(), files.md)} and ${path.relative(process.cwd(), files.json)} (${Math.round((Date.now() - t0) / 1000)} s)`);
  if (failed) console.error(`bench: ${failed} section(s) could not be measured; see the report`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
