import type { Environment, EnvironmentName } from './environment';
import { LocalEnvironment } from './local-environment';

export const ENVIRONMENT_NAMES: readonly EnvironmentName[] = ['local', 'docker'];

/** The docker environment is loaded only when asked for: it pulls in Testcontainers and dockerode. */
export async function createEnvironment(name: EnvironmentName): Promise<Environment> {
  if (name === 'local') return new LocalEnvironment();
  const { DockerEnvironment } = await import('./docker-environment');
  return new DockerEnvironment();
}
