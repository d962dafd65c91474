import { createHash } from 'node:crypto';
import { brokerDefinitions, rabbitPasswordHash } from './broker-definitions';
import { BROKER_USERS } from './broker-users';

describe('rabbitPasswordHash', () => {
  it("is base64 of the salt and SHA-256 of salt and password (RabbitMQ's sha256 scheme)", () => {
    const salt = Buffer.from([1, 2, 3, 4]);
    const raw = Buffer.from(rabbitPasswordHash('s3cret', salt), 'base64');
    expect(raw.subarray(0, 4)).toEqual(salt);
    expect(raw.subarray(4)).toEqual(createHash('sha256').update(Buffer.concat([salt, Buffer.from('s3cret')])).digest());
  });

  it('salts each hash anew', () => {
    expect(rabbitPasswordHash('same')).not.toBe(rabbitPasswordHash('same'));
  });
});

describe('brokerDefinitions', () => {
  const passwords = { orchestrator: 'o-pass', worker: 'w-pass', admin: 'a-pass' };

  it('declares the three users with the rights of BROKER_USERS and no password in clear', () => {
    const d = brokerDefinitions(passwords);
    expect(d.users.map((u) => u.name)).toEqual(['dbaas-orchestrator', 'dbaas-worker', 'dbaas-admin']);
    expect(d.users.find((u) => u.name === 'dbaas-admin')?.tags).toEqual(['administrator']);
    expect(d.permissions).toContainEqual({ user: 'dbaas-worker', vhost: '/', ...pick(BROKER_USERS.worker) });
    expect(JSON.stringify(d)).not.toMatch(/o-pass|w-pass|a-pass/);
  });

  it('refuses a missing password', () => {
    expect(() => brokerDefinitions({ ...passwords, worker: '' })).toThrow(/worker user \(dbaas-worker\)/);
  });
});

function pick(u: { configure: string; write: string; read: string }) {
  return { configure: u.configure, write: u.write, read: u.read };
}
