import { chaos } from './chaos';
import { load } from './load';
import { masterCrash } from './master-crash';
import { operatorFaults } from './operator-faults';
import { readBurstScenario } from './read-burst';
import type { Scenario } from './scenario';
import { slaveCrash } from './slave-crash';
import { soak } from './soak';

export const SCENARIOS: readonly Scenario[] = [readBurstScenario, masterCrash, slaveCrash, chaos, operatorFaults, load, soak];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
