import { z } from 'zod';
import { ConfigError } from '../errors/errors';
import { closestSettings, lookalikeVariables } from './lookalikes';
import { SETTINGS, SETTING_NAMES, type Config, type Setting, type SettingName } from './settings';

/*
 * The one typed configuration of the project. Every part (orchestrator, worker, rideshare services, harness) reads
 * its settings from here, from environment variables, validated once at start. The settings themselves (names,
 * defaults, Config fields, README lines) are the table in settings.ts. A variable that is not a setting but looks like
 * one (a misspelling, or a project prefix such as WORKER_: lookalikes.ts) is refused too, rather than ignored.
 */

export type { Config } from './settings';

const envSchema = z.object(Object.fromEntries(SETTING_NAMES.map((name) => [name, SETTINGS[name].schema])) as { [N in SettingName]: (typeof SETTINGS)[N]['schema'] });

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const unknown = lookalikeVariables(env);
  if (unknown.length > 0) {
    const problems = unknown.map((name) => `${name} is not a setting (closest: ${closestSettings(name).join(', ')})`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}; the settings are listed in README.md, Configuration`);
  }
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (e.MAX_SLAVES < e.INITIAL_SLAVES) {
    throw new ConfigError(`invalid configuration: MAX_SLAVES (${e.MAX_SLAVES}) < INITIAL_SLAVES (${e.INITIAL_SLAVES})`);
  }
  if (e.SYNC_SEGMENT_BYTES * 4 > e.SYNC_MAX_BYTES) {
    throw new ConfigError(`invalid configuration: SYNC_SEGMENT_BYTES (${e.SYNC_SEGMENT_BYTES}) must be at most a quarter of SYNC_MAX_BYTES (${e.SYNC_MAX_BYTES})`);
  }
  const config: Record<string, unknown> = {};
  for (const name of SETTING_NAMES) {
    const s: Setting = SETTINGS[name];
    config[s.field] = s.derive ? s.derive(e[name], e) : e[name];
  }
  return Object.freeze(config) as Config;
}

/** The same settings as environment variables, for handing to child processes (workers, services). */
export function configToEnv(config: Config): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of SETTING_NAMES) {
    const value = (config as Readonly<Record<string, unknown>>)[SETTINGS[name].field];
    if (value !== undefined) env[name] = String(value);
  }
  return env;
}
