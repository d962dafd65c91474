import fs from 'node:fs';
import path from 'node:path';
import { configurationTable, readmeTable, withTable } from './settings-readme';

/*
 * npm run docs:config [-- --check]: writes the configuration table of README.md from the settings table
 * (system/common/config/settings.ts). With --check it changes nothing and exits 1 when the README is out of date.
 */
const readmePath = path.resolve(__dirname, '../../../README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
const table = configurationTable();
if (process.argv.includes('--check')) {
  const same = readmeTable(readme) === table;
  console.log(same ? 'README.md: configuration table up to date' : 'README.md: configuration table out of date; run npm run docs:config');
  process.exit(same ? 0 : 1);
}
const updated = withTable(readme, table);
if (updated === readme) {
  console.log('README.md: configuration table up to date');
} else {
  fs.writeFileSync(readmePath, updated);
  console.log('README.md: configuration table written');
}
