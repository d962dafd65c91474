import path from 'node:path';
import { configToEnv, loadConfig } from './config';
import { DITTO, SETTINGS, SETTING_NAMES } from './settings';

test('defaults are the documented ones', () => {
  const c = loadConfig({});
  expect(c.orchestratorPort).toBe(80);
  expect(c.workerRuntime).toBe('process');
  expect(c.initialSlaves).toBe(1);
  expect(c.scaleIntervalMs).toBe(120000);
  expect(c.readsPerSlave).toBe(20);
  expect(c.token).toBeUndefined();
  expect(c.rabbitmqUrl).toBeUndefined();
  expect(c.zkRoot).toBe('/dbaas');
});

test('bad values are refused with a message naming the variable', () => {
  expect(() => loadConfig({ ORCHESTRATOR_PORT: 'eighty' })).toThrow(/ORCHESTRATOR_PORT/);
  expect(() => loadConfig({ WORKER_RUNTIME: 'vm' })).toThrow(/WORKER_RUNTIME/);
  expect(() => loadConfig({ INITIAL_SLAVES: '5', MAX_SLAVES: '2' })).toThrow(/MAX_SLAVES/);
  expect(() => loadConfig({ ZK_ROOT: 'no-slash' })).toThrow(/ZK_ROOT/);
});

test('an empty token means no authentication', () => {
  expect(loadConfig({ DBAAS_TOKEN: '  ' }).token).toBeUndefined();
  expect(loadConfig({ DBAAS_TOKEN: 'abc' }).token).toBe('abc');
});

test('derived values: URLs from their ports, DATA_DIR absolute', () => {
  const c = loadConfig({ ORCHESTRATOR_PORT: '9000', USERS_PORT: '9001', RIDES_PORT: '9002', DATA_DIR: 'some/dir' });
  expect(c.orchestratorUrl).toBe('http://127.0.0.1:9000');
  expect(c.usersUrl).toBe('http://127.0.0.1:9001');
  expect(c.ridesUrl).toBe('http://127.0.0.1:9002');
  expect(c.dataDir).toBe(path.resolve('some/dir'));
  expect(loadConfig({ ORCHESTRATOR_PORT: '9000', ORCHESTRATOR_URL: 'http://elsewhere:1' }).orchestratorUrl).toBe('http://elsewhere:1');
});

test('configToEnv gives every set value back, and loading it gives the same configuration', () => {
  const c = loadConfig({ DBAAS_TOKEN: 'abc', KILL_LOST_WORKERS: 'no', DATA_DIR: 'x' });
  const env = configToEnv(c);
  expect(env).toEqual(expect.objectContaining({ DBAAS_TOKEN: 'abc', KILL_LOST_WORKERS: 'false', DATA_DIR: path.resolve('x'), ORCHESTRATOR_URL: 'http://127.0.0.1:80' }));
  expect(env).not.toHaveProperty('RABBITMQ_URL');
  expect(loadConfig(env)).toEqual(c);
});

test('the settings table: one Config field per setting, a README line for each row', () => {
  const fields = SETTING_NAMES.map((n) => SETTINGS[n].field);
  expect(new Set(fields).size).toBe(fields.length);
  expect(SETTINGS[SETTING_NAMES[0]].doc).not.toBe(DITTO);
  SETTING_NAMES.forEach((n, i) => {
    expect(n).toMatch(/^[A-Z][A-Z0-9_]*$/);
    if (SETTINGS[n].doc === DITTO) expect(SETTINGS[n].group).toBe(SETTINGS[SETTING_NAMES[i - 1]].group);
  });
});
