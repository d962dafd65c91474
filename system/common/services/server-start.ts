import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { ServiceSetupError } from '../errors/errors';
import { sleep } from '../time/sleep';

/*
 * Waiting for a server we started, without waiting in the dark: besides polling for readiness it watches the process
 * and its output, so that a server that cannot start is reported within a second or two of saying so, with the
 * line of its own log that says why, instead of after the start timeout.
 */

/** Patterns that mark a fatal start error in a server's output, and how much of the text after them to quote. */
export interface FatalPattern {
  pattern: RegExp;
  /** Include the lines that follow the match up to the next blank line (an Erlang term spread over many lines). */
  block?: boolean;
}

export const RABBITMQ_FATAL: FatalPattern[] = [
  { pattern: /Error during startup:/, block: true },
  { pattern: /init terminating in do_boot/ },
  { pattern: /application_start_failure/ },
  { pattern: /^ERROR: .*/m },
  { pattern: /Protocol '[^']+': .*/ },
];

// ZooKeeper logs a fatal start error as an ERROR line saying it exits, followed by the exception that caused it. Other
// ERROR lines are not fatal: one is logged when a probe (our `srvr`) arrives before its database is loaded.
export const ZOOKEEPER_FATAL: FatalPattern[] = [
  { pattern: /ERROR [^\n]*(exiting abnormally|Exiting JVM)[^\n]*(\n[\w.$]+(Exception|Error)(: [^\n]*)?)?/ },
];

const MAX_REASON = 400;

/** The decisive part of a server's output: the text at the first fatal pattern that matches, squeezed to one line. */
export function decisiveReason(output: string, patterns: FatalPattern[]): string | undefined {
  for (const { pattern, block } of patterns) {
    const m = pattern.exec(output);
    if (!m) continue;
    // A block is quoted from its start, a one-line error as the whole line it is on.
    const start = block ? m.index : output.lastIndexOf('\n', m.index) + 1;
    let end = output.indexOf('\n', start + m[0].length);
    if (block) {
      const blank = output.slice(start).search(/\n\s*\n/);
      end = blank < 0 ? output.length : start + blank;
    }
    const text = output.slice(start, end < 0 ? output.length : end).replace(/\s+/g, ' ').trim();
    return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 3)}...` : text;
  }
  return undefined;
}

export interface WatchStartOptions {
  /** Names the server in messages, e.g. "RabbitMQ on 127.0.0.1:5672". */
  what: string;
  child: ChildProcess;
  /** Where the server's stdout and stderr go. */
  outputFile: string;
  fatal: FatalPattern[];
  ready: () => Promise<boolean>;
  timeoutMs: number;
  /** Said after the reason: what the user can do about it. */
  hint?: string;
  everyMs?: number;
}

/** Resolves once `ready` answers true; rejects as soon as the server exits or logs a fatal error, or at the timeout. */
export async function watchStart(opts: WatchStartOptions): Promise<void> {
  let exit: string | undefined;
  opts.child.once('exit', (code, signal) => (exit = signal ? `killed by ${signal}` : `exited with code ${code}`));
  const deadline = Date.now() + opts.timeoutMs;
  const fail = (reason: string) =>
    new ServiceSetupError(`${opts.what} could not start: ${reason}${opts.hint ? `; ${opts.hint}` : ''} (full log: ${opts.outputFile})`);
  for (;;) {
    if (await opts.ready().catch(() => false)) return;
    const reason = decisiveReason(readText(opts.outputFile), opts.fatal);
    if (reason) {
      stopGroup(opts.child);
      throw fail(reason);
    }
    if (exit) throw fail(`the server ${exit} without a known reason`);
    if (Date.now() > deadline) {
      stopGroup(opts.child);
      throw fail(`not ready after ${opts.timeoutMs} ms`);
    }
    await sleep(opts.everyMs ?? 200);
  }
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Kills the server's whole process group (it was spawned detached), so that a failed start leaves nothing behind. */
function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
