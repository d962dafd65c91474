import { loadConfig } from '../../system/common/config/config';
import { httpLimits } from '../../system/common/http/server-limits';
import { createLogger } from '../../system/common/logging/logger';
import type { RunningServer } from '../../system/rideshare/common/http-server';
import type { ServiceOptions } from '../../system/rideshare/common/service-options';
import { startGateway } from '../../system/rideshare/gateway/server';
import { startRidesService } from '../../system/rideshare/rides/server';
import { startUsersService } from '../../system/rideshare/users/server';
import { HttpClient } from '../testing/http-client';
import { startTestSystem, type TestSystem } from '../testing/test-system';
import type { FuzzWorld } from './requests';

export interface FuzzSystem {
  sys: TestSystem;
  gatewayUrl: string;
  world: FuzzWorld;
  stop(): Promise<void>;
}

const SHA1 = '3d4f2bf07dc1be38b20cd6e46949a1071f9d0e3d';

/*
 * What the fuzzer aims at: a DBaaS with a token (orchestrator, master, two slaves) on the run's RabbitMQ and
 * ZooKeeper, the users and rides services and the gateway on loopback, and a little data (two users, one ride) that
 * the generated requests must leave as it is.
 */
export async function startFuzzSystem(token: string, env: Record<string, string> = {}): Promise<FuzzSystem> {
  const log = createLogger('fuzz', 'fatal');
  // The workers' ZooKeeper session as in production (2 s): the test systems' 1 s is for fast failover tests, and once
  // expired under the fuzzer's load on 2 cores (a worker replaced, which no input had asked for).
  const sys = await startTestSystem({ INITIAL_SLAVES: '2', DBAAS_TOKEN: token, SCALE_INTERVAL_MS: '3600000', LOG_LEVEL: 'fatal', ZK_SESSION_TIMEOUT_MS: '2000', ...env });
  const servers: RunningServer[] = [];
  const stop = async () => {
    for (const s of servers.reverse()) await s.close().catch(() => undefined);
    await sys.stop();
  };
  try {
    const limits = httpLimits(loadConfig({}));
    const base: ServiceOptions = {
      host: '127.0.0.1',
      port: 0,
      orchestratorUrl: sys.orchestrator.url,
      token,
      timeoutMs: 10000,
      bodyLimit: '100kb',
      httpLimits: limits,
      writeAttempts: 3,
      log,
    };
    const users = await startUsersService(base);
    servers.push(users);
    const rides = await startRidesService({ ...base, usersUrl: users.url });
    servers.push(rides);
    const gateway = await startGateway({ host: '127.0.0.1', port: 0, usersUrl: users.url, ridesUrl: rides.url, timeoutMs: 10000, token, httpLimits: limits, log });
    servers.push(gateway);
    const api = new HttpClient(gateway.url);
    const names = ['fuzz-seed-alice', 'fuzz-seed-bob'];
    for (const username of names) {
      const r = await api.request('PUT', '/api/v1/users', { username, password: SHA1 });
      if (r.status !== 201) throw new Error(`seeding user ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const ride = await api.post<{ rideId: number }>('/api/v1/rides', { created_by: names[0], timestamp: '26-01-2099:00-30-10', source: 1, destination: 2 });
    if (ride.status !== 201) throw new Error(`seeding a ride: ${ride.status} ${JSON.stringify(ride.body)}`);
    const joined = await api.post(`/api/v1/rides/${ride.body.rideId}`, { username: names[1] });
    if (joined.status !== 200) throw new Error(`joining the seeded ride: ${joined.status}`);
    return { sys, gatewayUrl: gateway.url, world: { token, users: names, rideIds: [ride.body.rideId] }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
