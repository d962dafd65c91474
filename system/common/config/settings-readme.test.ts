import fs from 'node:fs';
import path from 'node:path';
import { configurationTable, readmeTable, withTable } from './settings-readme';
import { SETTING_NAMES } from './settings';

const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');

test("README.md's configuration table is the one the settings table makes (else: npm run docs:config)", () => {
  expect(readmeTable(readme)).toBe(configurationTable());
});

test('the README table names every setting once, and nothing else', () => {
  const named = readmeTable(readme)
    .split('\n')
    .slice(2)
    .flatMap((row) => row.split('|')[1].split('/').map((cell) => cell.trim().replace(/`/g, '')));
  expect([...named].sort()).toEqual([...SETTING_NAMES].sort());
});

test('writing the table twice changes nothing', () => {
  const once = withTable(readme, configurationTable());
  expect(withTable(once, configurationTable())).toBe(once);
});
