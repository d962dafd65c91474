import { killSlave } from '../nemesis/faults/kill-slave';
import { faultCheckers, faultsUnderLoad } from './faults-under-load';
import { FIXED_TWO_SLAVES, type Scenario } from './scenario';

const KILLS = 2;

export const slaveCrash: Scenario = {
  name: 'slave-crash',
  description: `Mixed reads and writes while a slave is killed ${KILLS} times (POST /api/v1/crash/slave). Checks: the ` +
    'master stays, a replacement slave catches up with every write, no acknowledged write lost or applied twice, ' +
    'replicas converge.',
  settings: () => FIXED_TWO_SLAVES,
  run: (ctx) => faultsUnderLoad(ctx, killSlave, KILLS),
  checkers: (o) => faultCheckers({ maxStaleMs: o.maxStaleMs }),
  collectsFinalState: true,
};
