import { sleep } from '../../system/common/time/sleep';
import type { ScaleTick } from '../core/history';
import type { HttpClient } from '../testing/http-client';
import { readySlaves } from '../testing/topology';
import type { TopologySampler } from './topology-sampler';

interface ScalingView {
  intervalMs: number;
  decisions: Array<{ at: number; reads: number; wanted: number }>;
}

export interface ObservedDecision {
  at: number;
  reads: number;
  wanted: number;
  intervalMs: number;
}

async function scalingView(http: HttpClient): Promise<ScalingView> {
  const r = await http.get<ScalingView>('/api/v1/scaling');
  if (r.status !== 200) throw new Error(`GET /api/v1/scaling answered ${r.status}`);
  return r.body;
}

/** Waits for the autoscaler's decision number `seen + 1` (bounded by three intervals). */
export async function awaitDecision(http: HttpClient, seen: number): Promise<ObservedDecision> {
  let view = await scalingView(http);
  const deadline = Date.now() + 3 * view.intervalMs;
  while (view.decisions.length <= seen) {
    if (Date.now() > deadline) throw new Error(`no scaling decision #${seen + 1} within ${3 * view.intervalMs} ms`);
    await sleep(25);
    view = await scalingView(http);
  }
  return { ...view.decisions[seen], intervalMs: view.intervalMs };
}

/*
 * Records a decision as a tick with the number of ready slaves once the system settled: as soon as the topology
 * matches the decision, or at the latest `marginMs` before the next tick (then whatever is there counts).
 */
export async function observeSettled(sampler: TopologySampler, d: ObservedDecision, ticks: ScaleTick[], marginMs = 300): Promise<ScaleTick> {
  const settleMs = Math.max(500, d.at + d.intervalMs - marginMs - Date.now());
  const sample = await sampler
    .waitFor(`${d.wanted} ready slaves`, (w) => readySlaves(w).length === d.wanted && w.length === d.wanted + 1, settleMs)
    .catch(() => sampler.latest());
  const tick: ScaleTick = { at: d.at, reads: d.reads, target: d.wanted, observedSlaves: readySlaves(sample?.workers ?? []).length };
  ticks.push(tick);
  return tick;
}
