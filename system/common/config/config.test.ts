import { loadConfig } from './config';

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
