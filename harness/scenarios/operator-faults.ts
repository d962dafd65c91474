import { abortableSleep } from '../core/abortable-sleep';
import { runFault } from '../nemesis/nemesis';
import { deleteReadQueue, deleteResponseQueue, deleteWriteQueue, fillDisk, skewClock } from '../nemesis/faults';
import { faultCheckers, startMixedLoad } from './faults-under-load';
import { FIXED_TWO_SLAVES, type Scenario } from './scenario';
import { faultSettings } from './soak';

/** The operator's faults the system recovers from, each once, in this order (the two that stop it are run by
 * `chaos --faults delete-sync-queue` and `--faults wipe-rabbitmq`). */
const FAULTS = [deleteWriteQueue, deleteReadQueue, deleteResponseQueue, fillDisk, skewClock];

export const operatorFaults: Scenario = {
  name: 'operator-faults',
  description:
    `Mixed reads and writes while an operator breaks things by hand, each once, spread over --duration: ${FAULTS.map((f) => f.title).join(', ')}. ` +
    'Checks: the system recovers from each by itself (the master stays where only slaves or the orchestrator were hit), ' +
    'no acknowledged write lost or applied twice, reads a prefix of the log, replicas converge.',
  settings: () => ({ ...FIXED_TWO_SLAVES, ...faultSettings(FAULTS.map((f) => f.kind)) }),
  async run(ctx) {
    const durationMs = ctx.options.durationS * 1000;
    const load = startMixedLoad(ctx);
    ctx.progress(`load: ${ctx.options.clients} clients, ${ctx.options.rate} ops/s, 50% writes, ${ctx.options.durationS} s; ${FAULTS.map((f) => f.kind).join(', ')}`);
    try {
      const start = Date.now();
      for (const [i, fault] of FAULTS.entries()) {
        await abortableSleep(start + ((i + 1) * durationMs) / (FAULTS.length + 1) - Date.now(), ctx.signal);
        if (ctx.signal.aborted) break;
        await runFault(ctx.nemesis, fault);
      }
    } finally {
      await load.done;
    }
  },
  checkers: (o) => faultCheckers({ maxElectionMs: 15000, maxConvergenceMs: 30000, maxUnavailableDuringFault: 1, maxStaleMs: o.maxStaleMs }),
  collectsFinalState: true,
};
