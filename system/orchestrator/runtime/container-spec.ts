import os from 'node:os';
import type Docker from 'dockerode';

/** Labels on every container of a deployment: which deployment, which part, and (workers) which worker id. */
export const LABELS = {
  deployment: 'dbaas.deployment',
  role: 'dbaas.role',
  workerId: 'dbaas.worker-id',
} as const;

/** Unprivileged user of worker containers: they share the host's PID namespace, so they must not be root. */
export const WORKER_USER = '1000:1000';
/** Where a worker keeps its SQLite database inside its container (a tmpfs: the container's data dies with it). */
export const WORKER_DATA_DIR = '/tmp/dbaas';
/** The worker's entry in the image: compiled JavaScript (the image's entrypoint is node; see Dockerfile). */
export const WORKER_COMMAND = ['dist/system/worker/main.js'];

export interface WorkerContainerInput {
  id: string;
  image: string;
  network: string;
  deployment: string;
  env: Record<string, string>;
}

export function containerName(deployment: string, id: string): string {
  return `${deployment}-${id}`;
}

/*
 * The container of one worker. PidMode 'host' is what lets the worker know its own PID without the Docker socket:
 * node is the container's first process (exec-form entrypoint, no init wrapper), and in the host's PID namespace its
 * process.pid is the very number Docker reports as State.Pid. Nothing has to be published after start, so there is no
 * window in which the worker runs without knowing its PID. Sharing the namespace lets the worker see host processes;
 * running it as an unprivileged user with no capabilities keeps it from signalling anything but its own user's.
 */
export function workerContainerSpec(i: WorkerContainerInput): Docker.ContainerCreateOptions {
  const env = { ...i.env, WORKER_ID: i.id, DATA_DIR: WORKER_DATA_DIR };
  return {
    name: containerName(i.deployment, i.id),
    Image: i.image,
    Cmd: WORKER_COMMAND,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    User: WORKER_USER,
    Labels: { [LABELS.deployment]: i.deployment, [LABELS.role]: 'worker', [LABELS.workerId]: i.id },
    HostConfig: {
      NetworkMode: i.network,
      PidMode: 'host',
      Init: false,
      Tmpfs: { '/tmp': 'rw,mode=1777' },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      AutoRemove: false,
    },
  };
}

/** Docker reports a container killed by a signal as exit code 128 + signal number. */
export function signalOfExitCode(code: number | null): string | null {
  if (code === null || code <= 128) return null;
  const n = code - 128;
  const found = Object.entries(os.constants.signals).find(([, v]) => v === n);
  return found ? found[0] : null;
}

/*
 * The log API answers a container without a TTY as frames: 1 byte stream (1 stdout, 2 stderr), 3 zero bytes, a 4-byte
 * big-endian length, then the payload. This joins the payloads in order.
 */
export function demuxLogs(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at + 4);
    parts.push(buf.subarray(at + 8, Math.min(buf.length, at + 8 + size)));
    at += 8 + size;
  }
  return Buffer.concat(parts);
}

/** Splits a stream of newline-delimited JSON (Docker's event stream) into objects; keeps an incomplete tail. */
export class JsonLines {
  private tail = '';

  push(chunk: Buffer | string): unknown[] {
    const lines = (this.tail + chunk.toString()).split('\n');
    this.tail = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '').flatMap((l) => {
      try {
        return [JSON.parse(l) as unknown];
      } catch {
        return [];
      }
    });
  }
}
