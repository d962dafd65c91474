import fs from 'node:fs';

export interface ProcMemory {
  /** Resident set size now, KiB. */
  rssKb: number;
  /** Peak resident set size over the process's life so far (VmHWM), KiB. */
  hwmKb: number;
}

/** Reads VmRSS and VmHWM out of the text of /proc/<pid>/status. */
export function parseProcStatus(text: string): ProcMemory | undefined {
  const field = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const rssKb = field('VmRSS');
  const hwmKb = field('VmHWM');
  return rssKb === undefined || hwmKb === undefined ? undefined : { rssKb, hwmKb };
}

/** The parent PID out of the text of /proc/<pid>/stat (the command name may itself hold spaces and parentheses). */
export function parseParentPid(statText: string): number | undefined {
  const close = statText.lastIndexOf(')');
  if (close < 0) return undefined;
  const ppid = Number(statText.slice(close + 2).split(' ')[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

export function readProcMemory(pid: number): ProcMemory | undefined {
  try {
    return parseProcStatus(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined; // gone, or not Linux
  }
}

/** PIDs whose parent is `ppid` (this kernel has no /proc/<pid>/task/<tid>/children, so scan). */
export function childPids(ppid: number): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return out;
  }
  for (const e of entries) {
    try {
      if (parseParentPid(fs.readFileSync(`/proc/${e}/stat`, 'utf8')) === ppid) out.push(Number(e));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

function isWorkerCommand(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker/main');
  } catch {
    return false;
  }
}

export interface PeakRss {
  pid: number;
  role: string;
  peakKb: number;
}

/*
 * Samples the memory of an orchestrator process and of its children (the workers, under the process runtime) every
 * `everyMs`, keeping each process's peak. VmHWM is the kernel's own high-water mark, so a short spike between two
 * samples still counts; sampling only has to happen before the process exits.
 */
export class MemorySampler {
  private readonly peaks = new Map<number, PeakRss>();
  /** Children seen, and whether each is a worker (the orchestrator also runs short-lived tools such as rabbitmqctl). */
  private readonly isWorker = new Map<number, boolean>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly orchestratorPid: number,
    private readonly everyMs = 500,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref();
  }

  sample(): void {
    this.note(this.orchestratorPid, 'orchestrator');
    for (const pid of childPids(this.orchestratorPid)) {
      if (!this.isWorker.has(pid)) this.isWorker.set(pid, isWorkerCommand(pid));
      if (this.isWorker.get(pid)) this.note(pid, 'worker');
    }
  }

  private note(pid: number, role: string): void {
    const m = readProcMemory(pid);
    if (!m) return;
    const peakKb = Math.max(m.hwmKb, m.rssKb, this.peaks.get(pid)?.peakKb ?? 0);
    this.peaks.set(pid, { pid, role, peakKb });
  }

  /** Stops sampling (after a last sample) and returns each process's peak. */
  stop(): PeakRss[] {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
    return [...this.peaks.values()];
  }
}
