import { sleep } from '../../system/common/services/wait-for';
import type { Nemesis } from '../nemesis/nemesis';
import { MixedLoad } from '../workload/generators';
import type { ScenarioContext } from './scenario';

/*
 * The shape shared by the crash scenarios: a steady mixed load for the whole duration, with `count` faults of one
 * kind spread evenly over it (each waits until the system healed). The load stops by itself at the end.
 */
export async function faultsUnderLoad(ctx: ScenarioContext, nemesis: Nemesis, count: number): Promise<void> {
  const { options } = ctx;
  const durationMs = options.durationS * 1000;
  const load = new MixedLoad(ctx.clients, {
    readRatio: 0.5,
    rate: options.rate,
    durationMs,
    maxOps: Math.ceil(options.rate * options.durationS * 1.5),
    seed: options.seed,
    keyPrefix: ctx.keyPrefix,
  });
  ctx.progress(`load: ${options.clients} clients, ${options.rate} ops/s, 50% writes, ${options.durationS} s; ${count} x ${nemesis.kind}`);
  try {
    const start = Date.now();
    for (let i = 1; i <= count; i++) {
      await sleep(Math.max(0, start + (i * durationMs) / (count + 1) - Date.now()));
      await nemesis.inject(ctx.nemesis);
    }
  } finally {
    await load.done;
  }
}
