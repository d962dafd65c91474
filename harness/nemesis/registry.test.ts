import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FAULT_KINDS, FAULTS, isFaultKind, targetOf } from './registry';

const FAULTS_DIR = join(__dirname, 'faults');
const faultFiles = readdirSync(FAULTS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts');

test('kinds and orders are unique', () => {
  expect(new Set(FAULT_KINDS).size).toBe(FAULTS.length);
  expect(new Set(FAULTS.map((f) => f.order)).size).toBe(FAULTS.length);
});

// A fault file left out of the registry would be a fault no scenario, CLI or checker knows about.
test.each(faultFiles)('faults/%s is registered, under its file name as kind', (file) => {
  const exported = Object.values(require(join(FAULTS_DIR, file)) as Record<string, unknown>);
  const registered = FAULTS.filter((f) => exported.includes(f));
  expect(registered.map((f) => f.kind)).toEqual([basename(file, '.ts')]);
});

test('every registered fault has a file of its own', () => {
  expect(FAULT_KINDS.map((k) => `${k}.ts`).sort()).toEqual([...faultFiles].sort());
});

// Chaos picks by position in the registry: the faults that existed keep theirs, or old seeds would replay other faults.
test('the first faults keep their order', () => {
  expect(FAULT_KINDS.slice(0, 6)).toEqual(['kill-master', 'kill-slave', 'kill-random', 'pause-worker', 'restart-rabbitmq', 'restart-zookeeper']);
});

test('kinds are recognised, and unknown ones have no target', () => {
  expect(FAULT_KINDS.every(isFaultKind)).toBe(true);
  expect(isFaultKind('drop-table')).toBe(false);
  expect(targetOf('kill-master')).toBe('master');
  expect(targetOf('drop-table')).toBeUndefined();
});
