import type { Config } from 'jest';

// Type checking is `npm run typecheck`'s job; here ts-jest only transpiles, file by file, which keeps tests fast.
const transform = { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] as [string, Record<string, unknown>] };

/*
 * Two projects: `unit` (no servers, fake clocks allowed) and `integration` (real RabbitMQ, ZooKeeper and worker
 * processes; the global setup finds or starts the servers, each suite isolates itself with a vhost and a ZK root).
 */
const config: Config = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/{system,harness}/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '\\.docker\\.test\\.ts$', '/node_modules/'],
      transform,
      testEnvironment: 'node',
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/{system,harness}/**/*.int.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/harness/testing/global-setup.ts',
      globalTeardown: '<rootDir>/harness/testing/global-teardown.ts',
      slowTestThreshold: 60,
    },
  ],
  testTimeout: 120000,
};

export default config;
