import fs from 'node:fs';
import { sleep } from '../../../system/common/time/sleep';
import { readyMaster } from '../../testing/topology';
import { defineFault } from '../fault';
import { pickAtRandom } from '../hits';

/** How far the master's wall clock jumps ahead, and how fast it then runs, for how long. */
export const CLOCK_STEP = '+30s';
export const CLOCK_RATE = 2;
export const CLOCK_SKEW_MS = 5000;

/*
 * The master's wall clock stepped 30 s ahead, then running twice as fast, for 5 s; then back to the real clock (a
 * step back of over 30 s, if the master still runs). It runs under libfaketime (WORKER_FAKETIME, set by chaos and soak
 * when this fault is chosen), which reads the offset from the worker's own file at every clock call; the monotonic
 * clock is not moved, as when NTP steps a clock. The lease is judged on both clocks: a clock ahead makes it lapse early
 * (the master stops without answering, and an election follows, or a renewal comes first and it goes on), a clock
 * behind cannot stretch it past the monotonic bound. Either way: no acknowledged write lost, no two masters
 * acknowledging in one period (fencing). Whether the master moves is not promised, so no election is judged.
 * The fault proves it took effect: the file is written and libfaketime is mapped in the master's process.
 */
export const skewClock = defineFault({
  kind: 'skew-clock',
  order: 36,
  title: "step the master's wall clock ahead and run it fast (libfaketime)",
  hits: 'service',
  async inject(ctx, before) {
    const victim = pickAtRandom(ctx, [readyMaster(before)].filter((w) => w !== undefined), 'master');
    const file = ctx.cluster.workerClockFile(victim.pid);
    if (!file) return { hitPids: [], skipped: `worker ${victim.pid} does not run under libfaketime (WORKER_FAKETIME, process runtime only)` };
    const maps = fs.readFileSync(`/proc/${victim.pid}/maps`, 'utf8');
    if (!maps.includes('libfaketime')) return { hitPids: [], skipped: `libfaketime is not loaded in worker ${victim.pid} (install the Debian package faketime)` };
    fs.writeFileSync(file, `${CLOCK_STEP} x${CLOCK_RATE}\n`);
    return { target: String(victim.pid), hitPids: [], note: `master ${victim.pid}: wall clock ${CLOCK_STEP} x${CLOCK_RATE} for ${CLOCK_SKEW_MS} ms; took effect: libfaketime mapped in its process, offset file written` };
  },
  async heal(ctx, hit) {
    if (hit.skipped || hit.target === undefined) return;
    await sleep(CLOCK_SKEW_MS);
    const file = ctx.cluster.workerClockFile(Number(hit.target));
    if (file) fs.rmSync(file, { force: true });
  },
});
