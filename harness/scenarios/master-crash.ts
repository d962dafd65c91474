import { killMaster } from '../nemesis/faults/kill-master';
import { faultCheckers, faultsUnderLoad } from './faults-under-load';
import { FIXED_TWO_SLAVES, type Scenario } from './scenario';

const KILLS = 2;

export const masterCrash: Scenario = {
  name: 'master-crash',
  description: `Mixed reads and writes while the master is killed ${KILLS} times (SIGKILL through POST /api/v1/crash/master). ` +
    'Checks: the lowest-PID live worker became master each time, no acknowledged write lost or applied twice, ' +
    'replicas converge, writes resume.',
  settings: () => FIXED_TWO_SLAVES,
  run: (ctx) => faultsUnderLoad(ctx, killMaster, KILLS),
  checkers: (o) => faultCheckers({ maxStaleMs: o.maxStaleMs }),
  collectsFinalState: true,
};
