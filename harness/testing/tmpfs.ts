import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A size-limited tmpfs mounted by the harness, or why it could not be (not root, no mount in a container...). */
export type Tmpfs = { mounted: true; dir: string; unmount(): Promise<void> } | { mounted: false; dir: string; why: string };

/** Mounts a tmpfs of `sizeMb` at `dir` (created if missing). Never throws: a machine that forbids mounts says why. */
export async function mountTmpfs(dir: string, sizeMb: number): Promise<Tmpfs> {
  fs.mkdirSync(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir]);
  } catch (err) {
    const why = ((err as { stderr?: string }).stderr || (err as Error).message).trim().split('\n')[0];
    return { mounted: false, dir, why };
  }
  return {
    mounted: true,
    dir,
    // Lazy: a worker that is still exiting may hold a file open for a moment.
    unmount: () => run('umount', ['-l', dir]).then(() => undefined),
  };
}

/** Whether `dir` is itself a tmpfs mount point (what the disk-full fault needs to fill). */
export function isTmpfsMount(dir: string): boolean {
  const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n');
  return mounts.some((line) => {
    const [, point, type] = line.split(' ');
    return type === 'tmpfs' && point === dir;
  });
}
