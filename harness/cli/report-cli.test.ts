import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syntheticReport } from '../report/synthetic-report';
import { writeReport } from '../report/write-report';

const cli = (args: string[]) =>
  // From the repository's root, where tsx resolves; every path handed over is absolute.
  spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'report-cli.ts'), ...args], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', timeout: 60_000 });

test('report compare: --help, usage errors exit 2, a regression beyond the threshold exits 1, within it 0', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-cli-'));
  try {
    const a = writeReport(syntheticReport({ seed: 3 }), { root: dir });
    const slower = syntheticReport({ seed: 3 });
    for (const r of slower.load) r.latencyMs = { ...r.latencyMs, p50: r.latencyMs.p50 * 1.3 };
    const b = writeReport(slower, { root: dir });

    const help = cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('npm run report -- compare <run A> <run B>');
    expect(cli(['compare', a.dir]).status).toBe(2);
    expect(cli(['compare', a.dir, b.dir, '--threshold', 'lots']).stderr).toContain('--threshold must be a number');
    expect(cli(['compare', a.dir, path.join(dir, 'missing')]).status).toBe(2);

    const strict = cli(['compare', a.dir, b.json, '--threshold', '10', '--out', path.join(dir, 'cmp')]);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/latency p50 .*\+30\.0 % \| WORSE/);
    expect(fs.readFileSync(path.join(dir, 'cmp', 'compare.html'), 'utf8')).toContain('regression(s)');
    expect(cli(['compare', a.dir, b.dir, '--threshold', '40', '--out', path.join(dir, 'cmp2')]).status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
