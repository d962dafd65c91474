import { chaos } from './chaos';
import { load } from './load';
import { longHistory } from './long-history';
import { masterCrash } from './master-crash';
import { partition } from './partition';
import { readBurstScenario } from './read-burst';
import type { Scenario } from './scenario';
import { slaveCrash } from './slave-crash';

export const SCENARIOS: readonly Scenario[] = [readBurstScenario, masterCrash, slaveCrash, chaos, partition, load, longHistory];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
