import { ensureTestServices } from './test-services';

/** Finds or starts RabbitMQ and ZooKeeper once for the whole integration run; the teardown stops what it started. */
export default async function globalSetup(): Promise<void> {
  const services = await ensureTestServices('test-services');
  (globalThis as { __dbaasServices?: typeof services }).__dbaasServices = services;
}
