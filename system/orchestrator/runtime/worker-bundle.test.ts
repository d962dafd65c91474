import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../common/logging/logger';
import { WorkerBundle } from './worker-bundle';

const log = createLogger('test', 'silent');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-bundle-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the worker bundles into one file that runs from a directory outside the project, packages included', async () => {
  const worker = await WorkerBundle.create({ dir, log });
  expect(path.relative(dir, worker.entry.file)).toMatch(/^[0-9a-f]{12}\/worker\/main\.js$/);
  expect(fs.existsSync(`${worker.entry.file}.map`)).toBe(true);
  // Every package the bundle requires at load resolves (by absolute path) before --help answers.
  const run = spawnSync(process.execPath, [...worker.entry.execArgv, worker.entry.file, '--help'], { cwd: dir, encoding: 'utf8', timeout: 30000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('A DBaaS worker');
});

test('a bundle that vanished or was overwritten is written again before the next start', async () => {
  const worker = await WorkerBundle.create({ dir, log });
  const text = fs.readFileSync(worker.entry.file, 'utf8');
  fs.rmSync(worker.entry.file);
  expect(worker.ensure()).toBe(worker.entry);
  expect(fs.readFileSync(worker.entry.file, 'utf8')).toBe(text);
  fs.writeFileSync(worker.entry.file, '// another version');
  worker.ensure();
  expect(fs.readFileSync(worker.entry.file, 'utf8')).toBe(text);
});

test('a bundle that cannot be written: that worker starts from the sources instead of not at all', async () => {
  const worker = await WorkerBundle.create({ dir, log });
  fs.rmSync(path.dirname(path.dirname(worker.entry.file)), { recursive: true });
  fs.writeFileSync(path.dirname(path.dirname(worker.entry.file)), 'a file where the directory was');
  const entry = worker.ensure();
  expect(entry).not.toBe(worker.entry);
  expect(entry.file).toMatch(/system\/worker\/main\.ts$/);
});
