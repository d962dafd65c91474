import { loadConfig } from '../../system/common/config/config';
import { sleep } from '../../system/common/time/sleep';
import type { ClusterLinks } from '../environment/environment';
import type { PartLinks } from '../network/link-hub';
import { BOTH, type Direction, type LinkProxy, type LinkStats } from '../network/link-proxy';
import { readyMaster, workers, type WorkerStatus } from '../testing/topology';
import type { FaultContext, Hit } from './fault';

/*
 * The ways the network faults hit links, shared so that each fault file says only which links, which way and what
 * must follow. A cut is held at least `minMs`, and until its effect is seen (the cut worker gone from /workers, the
 * orchestrator's session lost...) or `maxMs` passed; then it heals. What was seen goes into the fault's note, and so
 * into the history: the bytes that did not get through, and whether the effect came (and after how long) or not.
 */

/** Shortest cut: longer than a worker's session in the scenarios (ZK_SESSION_TIMEOUT_MS 1000). */
export const CUT_MIN_MS = 3000;
/** Longest wait for a cut's effect: two broker heartbeats at the default 5 s, with room for a busy machine. */
export const CUT_MAX_MS = 20000;
/** Added latency of the slow-link fault, each way. */
export const SLOW_LINK_MS = 150;
/** How long a link stays slow. */
export const SLOW_FOR_MS = 4000;

export interface LinkCut {
  link: LinkProxy;
  directions: readonly Direction[];
}

/** What must follow a cut, checked while it holds. Resolves with a line for the note once seen. */
export type Effect = { what: string; seen: (ctx: FaultContext, startedAt: number) => Promise<string | undefined> };

interface Held {
  cuts: LinkCut[];
  before: LinkStats[];
  startedAt: number;
  effect?: Effect;
  minMs: number;
  maxMs: number;
  /** Said before the cut (whom, which links). */
  what: string;
}

const held = new WeakMap<Hit, Held>();

export function linksOf(ctx: FaultContext): ClusterLinks {
  const links = ctx.cluster.links;
  if (!links) throw new Error('this network fault needs link proxies: run a scenario that starts the system with them (partition, chaos)');
  return links;
}

export const allOf = (part: PartLinks): LinkProxy[] => [part.rabbitmq, ...part.zookeeper];

/** Cuts the links now; `heal` (healCut) holds the cut until its effect or its bound, then lets everything through. */
export function cut(
  cuts: LinkCut[],
  hit: Omit<Hit, 'note'> & { what: string },
  o: { effect?: Effect; minMs?: number; maxMs?: number } = {},
): Hit {
  const before = cuts.map((c) => c.link.stats());
  for (const c of cuts) c.link.blackhole(c.directions);
  const { what, ...rest } = hit;
  const result: Hit = { ...rest, note: what };
  held.set(result, { cuts, before, startedAt: Date.now(), effect: o.effect, minMs: o.minMs ?? CUT_MIN_MS, maxMs: o.maxMs ?? CUT_MAX_MS, what });
  return result;
}

/** Holds the cut (see `cut`), heals it, and writes into the hit's note what took effect. */
export async function healCut(ctx: FaultContext, hit: Hit): Promise<void> {
  const h = held.get(hit);
  if (!h) return;
  let effect: string | undefined;
  try {
    const deadline = h.startedAt + h.maxMs;
    while (h.effect && effect === undefined && Date.now() < deadline) {
      effect = await h.effect.seen(ctx, h.startedAt).catch(() => undefined);
      if (effect === undefined) await sleep(100);
    }
    await sleep(h.startedAt + h.minMs - Date.now());
  } finally {
    const after = h.cuts.map((c) => c.link.stats());
    for (const c of h.cuts) c.link.pass();
    const bytes = bytesStopped(h, after, Date.now() - h.startedAt);
    const lines = [h.what, bytes.line];
    if (h.effect) lines.push(effect ?? `effect NOT seen within ${h.maxMs} ms: ${h.effect.what}`);
    hit.note = lines.join('; ');
    hit.inEffect = bytes.stopped && (!h.effect || effect !== undefined);
  }
}

/** "bytes stopped": what was sent into each cut direction while cut, and what got through (must be none). */
function bytesStopped(h: Held, after: LinkStats[], heldMs: number): { line: string; stopped: boolean } {
  const sum = (i: number, dirs: readonly Direction[], k: 'forwarded' | 'received') => dirs.map((d) => after[i][k][d] - h.before[i][k][d]).reduce((a, b) => a + b, 0);
  let stopped = true;
  const parts = h.cuts.map((c, i) => {
    const through = sum(i, c.directions, 'forwarded');
    if (through > 0) stopped = false;
    const sent = sum(i, c.directions, 'received');
    const way = c.directions.length === 2 ? 'both ways' : c.directions[0];
    return `${c.link.name} ${way}: ${through === 0 ? `bytes stopped (${sent} B sent, 0 B through)` : `${through} B GOT THROUGH of ${sent} B sent`}`;
  });
  return { line: `cut for ${(heldMs / 1000).toFixed(1)} s: ${parts.join('; ')}`, stopped };
}

/** The effect of cutting a worker off: it leaves /workers (its session expired, or it stopped on its own). */
export function leavesWorkers(pid: number): Effect {
  return {
    what: `PID ${pid} leaves /workers`,
    async seen(ctx, startedAt) {
      const list = await workers(ctx.cluster.http);
      if (list.some((w) => w.pid === pid)) return undefined;
      const running = (await ctx.cluster.runningWorkerPids()).includes(pid);
      const how = running ? 'its ZooKeeper session expired while its process still ran' : 'its process had exited';
      return `PID ${pid} left /workers after ${Date.now() - startedAt} ms (${how})`;
    },
  };
}

/** Directions picked at random: both ways, or one of them. */
export function randomDirections(random: () => number): readonly Direction[] {
  const r = Math.floor(random() * 3);
  return r === 0 ? BOTH : r === 1 ? ['up'] : ['down'];
}

/** The full configuration of the system under test (its overrides on top of the defaults). */
export function systemConfig(ctx: FaultContext) {
  return loadConfig({ ...process.env, ...ctx.cluster.settings });
}

/** Cuts some links of the ready master both ways until it leaves /workers: the two master cuts differ only in which. */
export function cutTheMaster(ctx: FaultContext, before: WorkerStatus[], which: (links: PartLinks) => LinkProxy[]): Hit {
  const master = readyMaster(before);
  if (!master) throw new Error('no ready master to cut');
  const links = which(linksOf(ctx).worker(master.pid));
  return cut(
    links.map((link) => ({ link, directions: BOTH })),
    { target: String(master.pid), hitPids: [master.pid], what: 'master' },
    { effect: leavesWorkers(master.pid) },
  );
}
