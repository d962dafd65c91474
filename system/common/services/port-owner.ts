import fs from 'node:fs';
import net from 'node:net';

export interface PortOwner {
  pid: number;
  /** The owner's command line, shortened for a message. */
  command: string;
}

/*
 * Which process listens on a TCP port, read from /proc (Linux). The socket tables are world-readable, but a
 * process's file descriptors are visible only to its own user and root: an ordinary user learns the owner of its own
 * servers only, and gets undefined for another user's (a system-wide broker, say).
 */
export function portOwner(port: number): PortOwner | undefined {
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1])) return { pid: Number(pid), command: commandLine(Number(pid)) };
    }
  }
  return undefined;
}

function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl, local_address, rem_address, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode
      if (cols.length < 10 || cols[3] !== '0A') continue;
      if (cols[1].split(':')[1] === hexPort) inodes.add(cols[9]);
    }
  }
  return inodes;
}

/** A process's command line on one line; a long one keeps its start and its end (where the script's name is). */
export function commandLine(pid: number, max = 140): string {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').replace(/\s+/g, ' ');
    return cmd.length > max ? `${cmd.slice(0, 40)} ... ${cmd.slice(cmd.length - (max - 45))}` : cmd;
  } catch {
    return '?';
  }
}

/** "held by <command> (pid N)", or a vaguer phrase when the holder cannot be seen. */
export function describeHolder(port: number): string {
  const owner = portOwner(port);
  return owner ? `held by ${owner.command} (pid ${owner.pid})` : 'held by another program (one this user cannot inspect)';
}

export type BindProblem = { code: 'EADDRINUSE' | 'EACCES' | string; message: string };

/**
 * Tries to listen on host:port for a moment. Undefined when it can, otherwise what stood in the way, so that a
 * process can refuse to start with a clear line before it has started anything else.
 */
export function probeBind(port: number, host: string): Promise<BindProblem | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? 'unknown', message: err.message }));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
}
