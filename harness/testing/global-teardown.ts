import type { ServiceEndpoints } from '../../system/common/services/ensure-services';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __dbaasServices?: ServiceEndpoints }).__dbaasServices?.stop();
}
