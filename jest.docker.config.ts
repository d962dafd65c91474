import type { Config } from 'jest';

/*
 * The Docker check (`npm run docker:check`): `*.docker.test.ts`, the same scenarios with workers as containers. Apart
 * from `npm test` because it needs a Docker engine and the built image (docker/check.sh provides both).
 */
const config: Config = {
  displayName: 'docker',
  testMatch: ['<rootDir>/{system,harness}/**/*.docker.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  testEnvironment: 'node',
  // RabbitMQ and ZooKeeper on loopback, found or started once for the run, as for the integration tests.
  globalSetup: '<rootDir>/harness/testing/global-setup.ts',
  globalTeardown: '<rootDir>/harness/testing/global-teardown.ts',
  testTimeout: 300000,
  slowTestThreshold: 120,
};

export default config;
