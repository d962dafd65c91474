import { chaos } from './chaos';
import { load } from './load';
import { longHistory } from './long-history';
import { masterCrash } from './master-crash';
import { partition } from './partition';
import { operatorFaults } from './operator-faults';
import { readBurstScenario } from './read-burst';
import type { Scenario } from './scenario';
import { slaveCrash } from './slave-crash';
import { soak } from './soak';

export const SCENARIOS: readonly Scenario[] = [readBurstScenario, masterCrash, slaveCrash, chaos, partition, operatorFaults, load, longHistory, soak];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
