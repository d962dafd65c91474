import { ServiceSetupError } from '../errors/errors';
import { describeHolder, portOwner } from './port-owner';
import { isAlive, readPidFile } from '../process/pid';

/** What a local server needs to tell its own listener from another program's. */
export interface OwnedServer {
  /** e.g. "RabbitMQ". */
  name: string;
  port: number;
  /** The PID file the server (or we, for it) wrote when it started. */
  pidFile: string;
  /** The server's directory, named in the message. */
  dir: string;
  /** The setting that moves the local server to another port, and the one that points at an existing server. */
  portSetting: string;
  externalSetting: string;
}

/**
 * True when what listens on the port is the server started from this directory, false when it is another program.
 * A server of another user cannot be inspected: then our own PID file decides.
 */
export function ownsPort(s: OwnedServer): boolean {
  const pid = readPidFile(s.pidFile);
  const owner = portOwner(s.port);
  if (owner) return owner.pid === pid;
  return pid !== undefined && isAlive(pid);
}

/** Fails with a message naming the holder and the settings to change when the port is not this server's. */
export function assertOwnsPort(s: OwnedServer): void {
  if (ownsPort(s)) return;
  throw new ServiceSetupError(
    `port ${s.port} is ${describeHolder(s.port)}, not by this project's ${s.name} (${s.dir}); ` +
      `set ${s.portSetting} to a free port, or ${s.externalSetting} to use that server`,
  );
}
