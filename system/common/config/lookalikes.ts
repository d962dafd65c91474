import { SETTING_NAMES, isSettingName, type SettingName } from './settings';
import { isOtherVariable } from './variables';

/*
 * Which unknown environment variables look like the project's, so that loadConfig refuses them instead of silently
 * running with a default (a misspelled DBAAS_TOKN would leave the API open). A variable that is neither a setting
 * (settings.ts) nor one of the project's other variables (variables.ts) looks like the project's when
 *   - its name starts with a prefix only the project uses: DBAAS_, WORKER_, ORCHESTRATOR_, RIDESHARE_,
 *     LOCAL_RABBITMQ_, LOCAL_ZOOKEEPER_, LOCAL_ZK_; or
 *   - its name, upper-cased, is within a small edit distance of a setting's: 1 for settings of up to 9 characters
 *     (ZK_ROOT, DATA_DIR, BIND_HOST, LOG_LEVEL...), 2 for longer ones; the same holds for the two names without
 *     their unit (_MS, _S, _SECONDS, _MILLIS...), so SCALE_INTERVAL and RPC_TIMEOUT_S are taken for the _MS settings.
 * Prefixes that other tools use are not the project's: ZK_ (ZooKeeper's own scripts read ZK_SERVER_HEAP), LOCAL_,
 * DOCKER_ (DOCKER_HOST, DOCKER_CONFIG), RABBITMQ_ (the broker reads RABBITMQ_NODENAME...), TEST_, npm_. Settings under
 * those are still guarded by the edit distance.
 */

export const PROJECT_PREFIXES = ['DBAAS_', 'WORKER_', 'ORCHESTRATOR_', 'RIDESHARE_', 'LOCAL_RABBITMQ_', 'LOCAL_ZOOKEEPER_', 'LOCAL_ZK_'] as const;

/** Levenshtein distance: single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

function tolerance(setting: string): number {
  return setting.length <= 9 ? 1 : 2;
}

const UNIT = /_(MS|MILLIS|MILLISECONDS|S|SEC|SECS|SECONDS)$/;

function withoutUnit(name: string): string {
  return name.replace(UNIT, '');
}

function projectPrefix(name: string): string | undefined {
  return PROJECT_PREFIXES.find((p) => name.startsWith(p));
}

/** editDistance(a, b) <= max, without computing it when the lengths alone say no. */
function within(a: string, b: string, max: number): boolean {
  return Math.abs(a.length - b.length) <= max && editDistance(a, b) <= max;
}

/** Verdicts so far: loadConfig runs several times in a process, on mostly the same environment. */
const verdicts = new Map<string, boolean>();

/** Whether `name` (not a known variable) would be taken for a misspelled setting. */
export function looksLikeASetting(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    verdict = judge(name);
    verdicts.set(name, verdict);
  }
  return verdict;
}

function judge(name: string): boolean {
  if (isSettingName(name) || isOtherVariable(name)) return false;
  if (projectPrefix(name) !== undefined) return true;
  const upper = name.toUpperCase();
  return SETTING_NAMES.some((s) => within(upper, s, tolerance(s)) || (UNIT.test(s) && within(withoutUnit(upper), withoutUnit(s), tolerance(s))));
}

/**
 * The settings nearest to `name`, nearest first: at most `count`, none much farther than the nearest, and those under
 * the same project prefix (WORKER_...) before the others.
 */
export function closestSettings(name: string, count = 3): SettingName[] {
  const upper = name.toUpperCase();
  const prefix = projectPrefix(upper);
  const distance = (s: string) => Math.min(editDistance(upper, s), editDistance(withoutUnit(upper), withoutUnit(s)));
  const ranked = SETTING_NAMES.map((s) => ({ s, d: distance(s), samePrefix: prefix !== undefined && s.startsWith(prefix) }));
  const family = ranked.filter((r) => r.samePrefix).sort((x, y) => x.d - y.d);
  const others = ranked.filter((r) => !r.samePrefix).sort((x, y) => x.d - y.d);
  const nearest = Math.min(...ranked.map((r) => r.d));
  return [...family, ...others.filter((r) => r.d <= nearest + 2)].slice(0, count).map((r) => r.s);
}

/** The variables of `env` that look like misspelled settings, in name order. */
export function lookalikeVariables(env: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && looksLikeASetting(name))
    .sort();
}
