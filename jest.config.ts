import type { Config } from 'jest';

// Type checking is `npm run typecheck`'s job; here ts-jest only transpiles, file by file, which keeps tests fast.
const transform = { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] as [string, Record<string, unknown>] };

/*
 * Three projects: `unit` (no servers, fake clocks allowed), `integration` (real RabbitMQ, ZooKeeper and worker
 * processes; the global setup finds or starts the servers, each suite isolates itself with a vhost and a ZK root), and
 * `browser` (the reports opened in headless chromium, on real runs; `npm run test:browser`, not part of `npm test`).
 */
const config: Config = {
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/{system,harness}/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '\\.docker\\.test\\.ts$', '\\.browser\\.test\\.ts$', '/node_modules/'],
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
    {
      // Reports in a real browser (Debian's chromium through puppeteer-core) on real runs: `npm run test:browser`.
      displayName: 'browser',
      testMatch: ['<rootDir>/harness/**/*.browser.test.ts'],
      transform,
      testEnvironment: 'node',
      globalSetup: '<rootDir>/harness/testing/global-setup.ts',
      globalTeardown: '<rootDir>/harness/testing/global-teardown.ts',
      slowTestThreshold: 120,
    },
  ],
  testTimeout: 120000,
};

export default config;
