import { waitForTopology } from '../testing/topology';
import type { BenchOptions } from './bench-options';
import { emptySection, type SectionReport } from './bench-report';
import { BenchSystem, type BenchContext, type SystemMemory } from './bench-system';
import { describeLoad, runLoad } from './load';
import { summarize } from './stats';
import { READ_QUERY, rideInsert, seed } from './workload';

type Log = (msg: string) => void;

const mb = (kb: number) => kb / 1024;

/** The memory figures out of what was sampled: per system, the orchestrator's peak and each worker's. */
export function memoryReport(memory: SystemMemory[], section: SectionReport): void {
  const orchestrators = memory.flatMap((m) => m.peaks.filter((p) => p.role === 'orchestrator').map((p) => mb(p.peakKb)));
  const workers = memory.flatMap((m) => m.peaks.filter((p) => p.role === 'worker').map((p) => mb(p.peakKb)));
  section.figures.push(
    { name: 'orchestrator peak RSS (one value per system started)', unit: 'MiB', summary: summarize(orchestrators) },
    { name: 'worker peak RSS (one value per worker process)', unit: 'MiB', summary: summarize(workers) },
  );
  section.tables.push({
    title: 'Peak RSS per system (MiB)',
    header: ['system', 'orchestrator', 'workers', 'largest worker', 'worker PIDs'],
    rows: memory.map((m) => {
      const w = m.peaks.filter((p) => p.role === 'worker');
      const o = m.peaks.find((p) => p.role === 'orchestrator');
      return [m.system, o ? mb(o.peakKb) : NaN, w.length, w.length ? mb(Math.max(...w.map((p) => p.peakKb))) : NaN, w.map((p) => p.pid).join(' ')];
    }),
  });
}

/** When no other section ran a system, a short read and write load on a system of its own gives something to sample. */
async function sampleOnItsOwn(ctx: BenchContext, o: BenchOptions, log: Log): Promise<void> {
  log('memory: no other section ran; starting a system (1 master, 1 slave) for a short read and write load');
  const sys = await BenchSystem.start(ctx, 'memory', { INITIAL_SLAVES: '1', MAX_SLAVES: '1' });
  try {
    await waitForTopology(sys.http, 1, 120000);
    await seed(sys.http, 100);
    log(`memory: reads: ${describeLoad(await runLoad({ url: sys.url, path: '/api/v1/db/read', body: READ_QUERY, connections: 16, durationS: o.durationS }))}`);
    log(`memory: writes: ${describeLoad(await runLoad({ url: sys.url, path: '/api/v1/db/write', body: rideInsert(0, 'memory'), connections: 16, durationS: o.durationS }))}`);
  } finally {
    await sys.stop();
  }
}

/** Memory: peak RSS of the orchestrator and of each worker, over every system this run started. */
export async function runMemory(ctx: BenchContext, o: BenchOptions, log: Log): Promise<SectionReport> {
  const section = emptySection(
    'memory',
    'Memory',
    'Each system runs its orchestrator in a process of its own, with the workers as its children. Every 500 ms, and ' +
      "once more before the system stops, the bench reads VmHWM (the kernel's high-water mark of resident memory) and " +
      'VmRSS from /proc/<pid>/status of the orchestrator and of each worker process, and keeps each process\'s peak. ' +
      'Workers killed by the failover section are sampled until they die. Values cover everything the sections above ' +
      'did to that system (load, catch-up, kills).',
  );
  if (ctx.memory.length === 0) await sampleOnItsOwn(ctx, o, log);
  section.config = { systems: ctx.memory.map((m) => m.system), sampleEveryMs: 500 };
  memoryReport(ctx.memory, section);
  return section;
}
