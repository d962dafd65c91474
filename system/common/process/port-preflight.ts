import { PortUnavailableError } from '../errors/errors';
import { describeHolder, probeBind } from '../services/port-owner';

export interface WantedPort {
  port: number;
  /** The setting that chooses it, named in the message (e.g. ORCHESTRATOR_PORT). */
  setting: string;
}

/*
 * Checked before a process starts anything, so that a taken or forbidden port is one clear line at once, not a
 * failure after RabbitMQ, ZooKeeper and the workers have been started (and must be stopped again).
 */
export async function assertPortsAvailable(host: string, wanted: WantedPort[]): Promise<void> {
  for (const { port, setting } of wanted) {
    const problem = await probeBind(port, host);
    if (!problem) continue;
    if (problem.code === 'EACCES') {
      throw new PortUnavailableError(
        `cannot listen on ${host}:${port} (${setting}): ports below 1024 need root; ` +
          `choose another, e.g. ${setting}=${port === 80 ? 8000 : 8000 + port}`,
      );
    }
    if (problem.code === 'EADDRINUSE') {
      throw new PortUnavailableError(
        `cannot listen on ${host}:${port} (${setting}): the port is ${describeHolder(port)}; ` +
          `if that is another npm start of this project, stop it first; otherwise set ${setting} to a free port`,
      );
    }
    throw new PortUnavailableError(`cannot listen on ${host}:${port} (${setting}): ${problem.message}`);
  }
}

/** A listen error as a StartupError when it is about the port (taken or forbidden), else unchanged. */
export function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new PortUnavailableError(`cannot listen on ${host}:${port}: the port is ${describeHolder(port)}`);
  if (err.code === 'EACCES') return new PortUnavailableError(`cannot listen on ${host}:${port}: ports below 1024 need root`);
  return err;
}
