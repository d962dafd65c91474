/*
 * Reports are shared (CI artifacts, pull requests): a token or a broker password in the run's settings must not be
 * written into them.
 */

const SECRET_NAME = /token|password|secret|passwd|api[_-]?key|_auth$/i;

/** user:password@ in a URL becomes user:***@. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]+):[^@/\s]+@/i, '$1:***@');
}

export function redactSettings(settings: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) out[k] = SECRET_NAME.test(k) && v !== '' ? '***' : redactUrl(v);
  return out;
}
