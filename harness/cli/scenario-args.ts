import { parseArgs } from 'node:util';
import { closestSettings } from '../../system/common/config/lookalikes';
import { isSettingName, SETTINGS, SETTING_NAMES } from '../../system/common/config/settings';
import type { EnvironmentName } from '../environment/environment';
import { FAULT_KINDS, isFaultKind } from '../nemesis/registry';
import { DEFAULT_OPTIONS, type ScenarioOptions } from '../scenarios/scenario';

export const USAGE = `Usage: npm run scenario -- <name> [options]
       npm run scenario -- --list

Runs a harness scenario against a fresh system (real RabbitMQ, ZooKeeper and worker processes or containers on
127.0.0.1), shows progress, prints a summary table, writes reports/<timestamp>-<name>/report.{json,md,html} and exits
1 when any checker fails or cannot decide (UNKNOWN), 2 on a usage error.

Options:
  --list                 list the scenarios and what they check
  --duration T           length of the loaded part of the run: seconds, or 90s, 30m, 1h (default ${DEFAULT_OPTIONS.durationS} s)
  --rate N               operations per second over all clients; the fixed rate of 'load' (default ${DEFAULT_OPTIONS.rate})
  --interval MS          autoscaling interval for 'read-burst' (default ${DEFAULT_OPTIONS.intervalMs})
  --clients N            concurrent clients of the workload (default ${DEFAULT_OPTIONS.clients})
  --seed N               seed of the random choices (fault order, read/write mix) (default ${DEFAULT_OPTIONS.seed})
  --faults A,B,...       faults 'chaos' and 'soak' pick from, and the network ones among them 'partition' picks from
                         after its required four (default: ${DEFAULT_OPTIONS.faults.join(',')};
                         also ${FAULT_KINDS.filter((k) => !DEFAULT_OPTIONS.faults.includes(k)).join(', ')}, which stop the system by design);
                         network faults put the system's links through link proxies (local environment only)
  --max-stale MS         longest a read may still miss an acknowledged write, for the staleness checker of
                         master-crash, slave-crash, chaos and partition (default ${DEFAULT_OPTIONS.maxStaleMs})
  --env local|docker     where the system runs (default ${DEFAULT_OPTIONS.environment})
  --set KEY=VALUE        a setting of the system under test (repeatable; README.md, Configuration), e.g. --set ZK_SESSION_TIMEOUT_MS=2000
  --out DIR              parent directory of reports (default reports)
  --live                 serve the report's charts while the run goes, on http://127.0.0.1:LIVE_PORT/ (the URL is
                         printed at the start; the page updates itself; the server stops with the run)
  --live-port N          port of the live view (default: the LIVE_PORT setting, 8390; 0: any free port)
  -h, --help             this text`;

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'run'; scenario: string; options: ScenarioOptions; outDir: string; live: { port?: number } | null };

export class UsageError extends Error {}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/** Longest run the CLI accepts: a soak of a working day, still bounded. */
export const MAX_DURATION_S = 12 * 3600;
const UNIT_S: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** --duration in seconds: a plain number of seconds, or with a unit (90s, 30m, 1h, 1.5h). */
function duration(value: string | undefined): number {
  if (value === undefined) return DEFAULT_OPTIONS.durationS;
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(value.trim());
  const s = m ? Math.round(Number(m[1]) * UNIT_S[m[2] || 's']) : NaN;
  if (!(s >= 5 && s <= MAX_DURATION_S)) {
    throw new UsageError(`--duration must be from 5 s to ${MAX_DURATION_S / 3600} h, in seconds or with a unit (90s, 30m, 1h), got "${value}"`);
  }
  return s;
}

/** Every setting --set takes, one line per group. */
function settingsByGroup(): string {
  const groups = new Map<string, string[]>();
  for (const name of SETTING_NAMES) groups.set(SETTINGS[name].group, [...(groups.get(SETTINGS[name].group) ?? []), name]);
  return [...groups].map(([group, names]) => `  ${group}: ${names.join(', ')}`).join('\n');
}

/** Parses and validates the command line; every bad value is a UsageError that names it. */
export function parseScenarioArgs(argv: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        list: { type: 'boolean' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        interval: { type: 'string' },
        clients: { type: 'string' },
        seed: { type: 'string' },
        env: { type: 'string' },
        faults: { type: 'string' },
        'max-stale': { type: 'string' },
        set: { type: 'string', multiple: true },
        out: { type: 'string' },
        live: { type: 'boolean' },
        'live-port': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.list) return { kind: 'list' };
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name a scenario (see --list)' : `one scenario at a time, got ${positionals.join(', ')}`);
  const environment = (values.env ?? DEFAULT_OPTIONS.environment) as EnvironmentName;
  if (environment !== 'local' && environment !== 'docker') throw new UsageError(`--env must be local or docker, got "${values.env}"`);
  const named = values.faults === undefined ? DEFAULT_OPTIONS.faults : values.faults.split(',').map((f) => f.trim());
  const faults = named.filter(isFaultKind);
  if (faults.length !== named.length || faults.length === 0) {
    throw new UsageError(`--faults takes a comma-separated list of ${FAULT_KINDS.join(', ')}; got "${values.faults}"`);
  }
  const settings: Record<string, string> = {};
  for (const kv of values.set ?? []) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(kv);
    if (!m) throw new UsageError(`--set takes KEY=VALUE with an upper-case KEY, got "${kv}"`);
    if (!isSettingName(m[1])) throw new UsageError(`--set ${m[1]}: not a setting (closest: ${closestSettings(m[1]).join(', ')}); the settings:\n${settingsByGroup()}`);
    settings[m[1]] = m[2];
  }
  return {
    kind: 'run',
    scenario: positionals[0],
    outDir: values.out ?? 'reports',
    live: values.live || values['live-port'] !== undefined ? (values['live-port'] !== undefined ? { port: int('live-port', values['live-port'], 0, 0, 65535) } : {}) : null,
    options: {
      environment,
      durationS: duration(values.duration),
      rate: int('rate', values.rate, DEFAULT_OPTIONS.rate, 1, 100000),
      intervalMs: int('interval', values.interval, DEFAULT_OPTIONS.intervalMs, 1000, 600000),
      clients: int('clients', values.clients, DEFAULT_OPTIONS.clients, 1, 256),
      seed: int('seed', values.seed, DEFAULT_OPTIONS.seed, 0, 2 ** 31 - 1),
      faults,
      maxStaleMs: int('max-stale', values['max-stale'], DEFAULT_OPTIONS.maxStaleMs, 0, 600000),
      settings,
    },
  };
}
