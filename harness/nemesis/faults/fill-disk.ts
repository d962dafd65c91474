import fs from 'node:fs';
import path from 'node:path';
import { sleep } from '../../../system/common/time/sleep';
import { isTmpfsMount } from '../../testing/tmpfs';
import { readySlaves } from '../../testing/topology';
import { defineFault } from '../fault';
import { pickAtRandom } from '../hits';

/** How long the disk stays full before the nemesis frees it (unless the victim's exit freed it first). */
export const DISK_FULL_MS = 15000;
const CHUNK = Buffer.alloc(1024 * 1024, 0x5a);
const FILLER = 'disk-full.filler';

/*
 * The disk under the workers' data directories fills up: the harness mounts a size-limited tmpfs as DATA_DIR/workers
 * (WORKERS_TMPFS_MB; local environment, root) and this fault writes a filler file into a ready slave's directory until
 * the tmpfs answers ENOSPC. Every worker on that tmpfs then finds its disk full, as replicas sharing one disk would:
 * SQLite's next write fails with SQLITE_FULL. Expected: a worker that cannot write stops loudly (a master before it
 * acknowledges anything: its writes go back to writeQ), replacements catch up once the space is back (the victim's
 * exit removes its directory, filler included, or the nemesis deletes the filler after DISK_FULL_MS: long enough for SQLite to need new pages, since its WAL reuses its own); no acknowledged
 * write is lost. Without a tmpfs (not root, or WORKERS_TMPFS_MB unset) the fault is skipped with one line: it never
 * fills a real disk.
 */
export const fillDisk = defineFault({
  kind: 'fill-disk',
  order: 35,
  title: "fill the workers' disk (a size-limited tmpfs)",
  hits: 'service',
  async inject(ctx, before) {
    const victim = pickAtRandom(ctx, readySlaves(before), 'slave');
    const dir = ctx.cluster.workerDataDir(victim.pid);
    if (!dir) return { hitPids: [], skipped: `no data directory of worker ${victim.pid} to fill in the ${ctx.cluster.environment} environment` };
    const disk = path.dirname(dir);
    if (!isTmpfsMount(disk)) {
      return { hitPids: [], skipped: `${disk} is not a tmpfs of its own (set WORKERS_TMPFS_MB and run as root): a real disk is never filled` };
    }
    const file = path.join(dir, FILLER);
    const fd = fs.openSync(file, 'w');
    let written = 0;
    let enospc = false;
    try {
      for (;;) {
        try {
          written += fs.writeSync(fd, CHUNK);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          enospc = true;
          break;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    const { bavail, bsize } = fs.statfsSync(disk);
    const effect = enospc && bavail === 0 ? 'took effect: ENOSPC, 0 bytes free' : `NOT full: ${bavail * bsize} bytes still free`;
    return { target: String(victim.pid), hitPids: [], note: `${Math.round(written / 2 ** 20)} MB written into ${victim.pid}'s directory; ${effect}` };
  },
  async heal(ctx, hit) {
    if (hit.skipped || hit.target === undefined) return;
    await sleep(DISK_FULL_MS);
    const dir = ctx.cluster.workerDataDir(Number(hit.target));
    // The victim may have exited meanwhile: the runtime removed its directory, filler and all.
    if (dir) fs.rmSync(path.join(dir, FILLER), { force: true });
  },
});
