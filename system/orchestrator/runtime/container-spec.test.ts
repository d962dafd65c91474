import { loadConfig } from '../../common/config/config';
import { JsonLines, LABELS, demuxLogs, signalOfExitCode, workerContainerSpec } from './container-spec';

test('a worker container runs the worker in the host PID namespace, unprivileged, labelled with deployment and role', () => {
  const spec = workerContainerSpec({ id: 'w1-x', image: 'img:1', network: 'host', deployment: 'dep', env: { DATA_DIR: '/host/path', A: 'b' } });
  expect(spec.name).toBe('dep-w1-x');
  expect(spec.Cmd).toEqual(['dist/system/worker/main.js']);
  expect(spec.HostConfig?.PidMode).toBe('host');
  expect(spec.HostConfig?.NetworkMode).toBe('host');
  expect(spec.User).toBe('1000:1000');
  expect(spec.HostConfig?.CapDrop).toEqual(['ALL']);
  expect(spec.Labels).toEqual({ [LABELS.deployment]: 'dep', [LABELS.role]: 'worker', [LABELS.workerId]: 'w1-x' });
  // The host's data directory means nothing inside the container: the worker's data lives in its own tmpfs.
  expect(spec.Env).toEqual(expect.arrayContaining(['A=b', 'WORKER_ID=w1-x', 'DATA_DIR=/tmp/dbaas']));
  expect(spec.Env).not.toContain('DATA_DIR=/host/path');
});

test('exit codes above 128 name the signal that killed the container', () => {
  expect(signalOfExitCode(137)).toBe('SIGKILL');
  expect(signalOfExitCode(143)).toBe('SIGTERM');
  expect(signalOfExitCode(0)).toBeNull();
  expect(signalOfExitCode(3)).toBeNull();
  expect(signalOfExitCode(null)).toBeNull();
});

test('multiplexed log frames are joined in order, a cut last frame kept as far as it goes', () => {
  const frame = (stream: number, text: string) => {
    const head = Buffer.alloc(8);
    head[0] = stream;
    head.writeUInt32BE(Buffer.byteLength(text), 4);
    return Buffer.concat([head, Buffer.from(text)]);
  };
  const all = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'last line')]);
  expect(demuxLogs(all).toString()).toBe('out\nerr\nlast line');
  expect(demuxLogs(all.subarray(0, all.length - 5)).toString()).toBe('out\nerr\nlast');
});

test('event stream chunks split anywhere still give whole JSON objects', () => {
  const lines = new JsonLines();
  expect(lines.push('{"a":1}\n{"b"')).toEqual([{ a: 1 }]);
  expect(lines.push(':2}\n\nnot json\n{"c":3}')).toEqual([{ b: 2 }]);
  expect(lines.push('\n')).toEqual([{ c: 3 }]);
});

test('the Docker settings have their documented defaults and refuse bad deployment names', () => {
  const c = loadConfig({});
  expect([c.dockerImage, c.dockerSocket, c.dockerNetwork, c.dockerDeployment]).toEqual(['rideshare-dbaas:latest', '/var/run/docker.sock', 'host', 'dbaas']);
  expect(() => loadConfig({ DOCKER_DEPLOYMENT: 'has space' })).toThrow(/DOCKER_DEPLOYMENT/);
});
