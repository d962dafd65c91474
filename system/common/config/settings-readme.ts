import { DITTO, SETTINGS, SETTING_NAMES, type Setting } from './settings';

/*
 * The README's configuration table, made from the settings table. `npm run docs:config` writes it into README.md
 * between the two markers; settings-readme.test.ts fails when the README's copy is not what the table makes.
 */

export const TABLE_BEGIN = '<!-- settings table: generated from system/common/config/settings.ts by `npm run docs:config` -->';
export const TABLE_END = '<!-- end of settings table -->';

/** What the README says a setting defaults to. */
export function shownDefault(s: Setting): string {
  if (s.shownDefault !== undefined) return s.shownDefault;
  const parsed = s.schema.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) throw new Error(`a setting without a default needs a shownDefault (field ${s.field})`);
  return String(parsed.data);
}

/** The markdown table, one row per setting or run of settings that share a row (DITTO). */
export function configurationTable(): string {
  const rows: { names: string[]; defaults: string[]; doc: string }[] = [];
  for (const name of SETTING_NAMES) {
    const s: Setting = SETTINGS[name];
    if (s.doc === DITTO) {
      const row = rows[rows.length - 1];
      if (!row) throw new Error(`${name}: the first setting cannot share the row above`);
      row.names.push(name);
      row.defaults.push(shownDefault(s));
    } else {
      rows.push({ names: [name], defaults: [shownDefault(s)], doc: s.doc });
    }
  }
  const lines = ['| variable | default | meaning |', '|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.names.map((n) => `\`${n}\``).join(' / ')} | ${r.defaults.join(' / ')} | ${r.doc} |`);
  return lines.join('\n');
}

/** The README's table, as it stands between the markers. */
export function readmeTable(readme: string): string {
  const begin = readme.indexOf(TABLE_BEGIN);
  const end = readme.indexOf(TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no settings table between "${TABLE_BEGIN}" and "${TABLE_END}"`);
  return readme.slice(begin + TABLE_BEGIN.length, end).trim();
}

/** The README with the table between the markers replaced by `table`. */
export function withTable(readme: string, table: string): string {
  readmeTable(readme);
  const begin = readme.indexOf(TABLE_BEGIN) + TABLE_BEGIN.length;
  return `${readme.slice(0, begin)}\n\n${table}\n\n${readme.slice(readme.indexOf(TABLE_END))}`;
}
