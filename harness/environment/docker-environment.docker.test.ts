import { waitUntil } from '../../system/common/time/wait-until';
import { LABELS } from '../../system/orchestrator/runtime/container-spec';
import { waitForTopology } from '../testing/topology';
import { DockerEnvironment, type DockerCluster } from './docker-environment';
import type { WorkerView } from '../../system/common/protocol/worker-view';

/*
 * The Docker check: RabbitMQ, ZooKeeper and the orchestrator in containers (Testcontainers, host network, Docker socket
 * mounted for the orchestrator), which starts the workers as containers; the crash APIs kill containers. What the API says is compared with what Docker says.
 * Run by `npm run docker:check` (docker/check.sh), which provides the engine and the image.
 */

const SLAVES = 2;
const TOPOLOGY_TIMEOUT_MS = 120000;
let cluster: DockerCluster;

async function steady(): Promise<WorkerView[]> {
  return waitForTopology(cluster.http, SLAVES, TOPOLOGY_TIMEOUT_MS);
}

async function workerListMatchesDocker(): Promise<number[]> {
  const list = (await cluster.http.get<number[]>('/api/v1/worker/list')).body;
  expect(list).toEqual(await cluster.runningWorkerPids());
  return list;
}

async function writeAnsweredBy(username: string): Promise<number> {
  const r = await cluster.http.post('/api/v1/db/write', { op: 'insert', table: 'users', values: { username, password: 'p' } });
  expect(r.status).toBe(201);
  return r.body.worker;
}

async function waitContainerRemoved(workerId: string): Promise<void> {
  await waitUntil(
    `the container of worker ${workerId} to be removed`,
    async () => !(await cluster.containers('worker')).some((c) => c.Labels[LABELS.workerId] === workerId),
    30000,
    100,
  );
}

beforeAll(async () => {
  cluster = await new DockerEnvironment().start({ env: { INITIAL_SLAVES: String(SLAVES) } });
});

afterAll(async () => {
  await cluster?.stop();
});

test('each worker is a container whose State.Pid is the PID the API reports and the worker itself knows', async () => {
  const rows = await steady();
  const containers = await cluster.workerContainers();
  expect(containers).toHaveLength(SLAVES + 1);
  const list = await workerListMatchesDocker();
  expect(rows.map((r) => r.pid)).toEqual(list);
  // The master names itself in every write answer with the PID it learned inside its container, without the socket.
  const master = rows.find((r) => r.role === 'master')!;
  expect(await writeAnsweredBy('docker-first')).toBe(master.pid);
  // Every part is a container: the orchestrator, and the two servers it talks to.
  expect((await cluster.containers('orchestrator', true)).length).toBe(1);
  expect((await cluster.containers('rabbitmq', true)).length).toBe(1);
  expect((await cluster.containers('zookeeper', true)).length).toBe(1);
});

test('master crash: a container PID is returned, the lowest-PID survivor takes over, a replacement container appears', async () => {
  const before = await steady();
  const containersBefore = await cluster.workerContainers();
  const master = before.find((w) => w.role === 'master')!;
  const victim = containersBefore.find((c) => c.pid === master.pid);
  expect(victim).toBeDefined();

  const crash = await cluster.http.post<number[]>('/api/v1/crash/master');
  expect(crash.status).toBe(200);
  expect(crash.body).toEqual([victim!.pid]);
  await waitContainerRemoved(victim!.workerId);

  const after = await steady();
  const survivors = containersBefore.filter((c) => c.pid !== victim!.pid).map((c) => c.pid);
  const newMaster = after.find((w) => w.role === 'master')!;
  expect(newMaster.pid).toBe(Math.min(...survivors));
  const replacement = after.filter((w) => !containersBefore.some((c) => c.pid === w.pid));
  expect(replacement.map((w) => w.role)).toEqual(['slave']);
  expect(await workerListMatchesDocker()).not.toContain(victim!.pid);
  expect(await writeAnsweredBy('after-master-crash')).toBe(newMaster.pid);
});

test('slave crash: the highest-PID slave container is killed and replaced, the master stays', async () => {
  const before = await steady();
  const containersBefore = await cluster.workerContainers();
  const master = before.find((w) => w.role === 'master')!;
  const highest = Math.max(...before.filter((w) => w.role === 'slave').map((w) => w.pid));
  const victim = containersBefore.find((c) => c.pid === highest)!;

  const crash = await cluster.http.post<number[]>('/api/v1/crash/slave');
  expect(crash.status).toBe(200);
  expect(crash.body).toEqual([highest]);
  await waitContainerRemoved(victim.workerId);

  const after = await steady();
  expect(after.find((w) => w.role === 'master')!.pid).toBe(master.pid);
  expect(after.some((w) => w.pid === highest)).toBe(false);
  expect(after.filter((w) => !containersBefore.some((c) => c.pid === w.pid))).toHaveLength(1);
  expect(await workerListMatchesDocker()).not.toContain(highest);
  // The replacement slave catches up on the replicated log and serves reads of what was written before it came.
  const read = await cluster.http.post('/api/v1/db/read', { table: 'users', columns: ['username'], where: { username: 'docker-first' } });
  expect(read.body.rows).toEqual([{ username: 'docker-first' }]);
});

test('stopping the cluster leaves no container of the deployment behind', async () => {
  await cluster.stop();
  expect(await cluster.containers()).toEqual([]);
});
