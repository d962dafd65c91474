import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';

const run = promisify(execFile);

/** Compose v2 (`docker compose`) where the plugin exists, else Debian's docker-compose 1.29 (the same file works). */
export async function composeCommand(): Promise<string[]> {
  try {
    await run('docker', ['compose', 'version']);
    return ['docker', 'compose'];
  } catch {
    await run('docker-compose', ['version']).catch(() => {
      throw new Error('neither `docker compose` nor `docker-compose` is installed (docker/compose-config.sh installs the latter)');
    });
    return ['docker-compose'];
  }
}

export interface ServiceState {
  service: string;
  state: string;
  /** "healthy", "unhealthy", "starting", or undefined for a service without a health check. */
  health?: string;
  exitCode?: number;
}

/*
 * One compose project (docker-compose.yml in `dir`) under a fixed project name and env file, and what Docker says about
 * its containers, networks and volumes (from the labels compose puts on them, the same in v1 and v2).
 */
export class ComposeProject {
  readonly docker = new Docker();

  constructor(
    readonly command: string[],
    readonly dir: string,
    readonly project: string,
    readonly envFile: string,
    /** Environment of every compose command (what docker-compose.yml interpolates). */
    readonly env: Record<string, string>,
  ) {}

  async compose(...args: string[]): Promise<string> {
    const [bin, ...pre] = this.command;
    try {
      const r = await run(bin, [...pre, '--project-name', this.project, '--env-file', this.envFile, ...args], {
        cwd: this.dir,
        env: { ...process.env, ...this.env, COMPOSE_PROJECT_NAME: this.project },
        maxBuffer: 64 * 1024 * 1024,
      });
      return r.stdout + r.stderr;
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${this.command.join(' ')} ${args.join(' ')} failed: ${(e.stderr || e.stdout || e.message).trim().split('\n').slice(-8).join('\n')}`);
    }
  }

  /** Every container of the project (all states), by compose service. */
  async services(): Promise<ServiceState[]> {
    const list = await this.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${this.project}`] } });
    const inspected = await Promise.all(list.map((c) => this.docker.getContainer(c.Id).inspect()));
    return inspected.map((i) => ({
      service: i.Config.Labels['com.docker.compose.service'],
      state: i.State.Status,
      health: i.State.Health?.Status,
      exitCode: i.State.Status === 'exited' ? i.State.ExitCode : undefined,
    }));
  }

  /** Containers carrying the project's dbaas.deployment label: the workers the orchestrator started. */
  async workerContainers(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: [`dbaas.deployment=${this.project}`] } });
  }

  async volumes(): Promise<string[]> {
    const r = await this.docker.listVolumes({ filters: { label: [`com.docker.compose.project=${this.project}`] } });
    return (r.Volumes ?? []).map((v) => v.Name);
  }

  async networks(): Promise<string[]> {
    const all = await this.docker.listNetworks();
    return all.filter((n) => n.Name.startsWith(`${this.project}_`) || n.Labels?.['com.docker.compose.project'] === this.project).map((n) => n.Name);
  }

  async logs(service: string, lines: number): Promise<string> {
    return this.compose('logs', '--no-color', '--tail', String(lines), service).catch((err: Error) => err.message);
  }
}
