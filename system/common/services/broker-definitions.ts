import { createHash, randomBytes } from 'node:crypto';
import { BROKER_ROLES, BROKER_USERS, type BrokerRole } from './broker-users';

/*
 * RabbitMQ definitions (the JSON its `load_definitions` setting imports at every boot) that create the system's three
 * broker users with their rights on one vhost. This is how a broker in a container (the compose deployment) gets the
 * same per-part users as the local broker, without rabbitmqctl: the official image creates one user only
 * (RABBITMQ_DEFAULT_USER). Rights come from BROKER_USERS, the one table of who may do what.
 */

export interface BrokerDefinitions {
  users: Array<{ name: string; password_hash: string; hashing_algorithm: string; tags: string[] }>;
  vhosts: Array<{ name: string }>;
  permissions: Array<{ user: string; vhost: string; configure: string; write: string; read: string }>;
}

/*
 * RabbitMQ's rabbit_password_hashing_sha256: base64 of a 4-byte salt followed by SHA-256(salt ++ password). Only the
 * hash is written, so the file does not hold the passwords themselves.
 */
export function rabbitPasswordHash(password: string, salt: Buffer = randomBytes(4)): string {
  const digest = createHash('sha256').update(Buffer.concat([salt, Buffer.from(password, 'utf8')])).digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

export function brokerDefinitions(passwords: Record<BrokerRole, string>, vhost = '/'): BrokerDefinitions {
  for (const role of BROKER_ROLES) {
    if (!passwords[role]) throw new Error(`no password for the broker's ${role} user (${BROKER_USERS[role].name})`);
  }
  return {
    users: BROKER_ROLES.map((role) => ({
      name: BROKER_USERS[role].name,
      password_hash: rabbitPasswordHash(passwords[role]),
      hashing_algorithm: 'rabbit_password_hashing_sha256',
      tags: BROKER_USERS[role].tags ? BROKER_USERS[role].tags.split(',') : [],
    })),
    vhosts: [{ name: vhost }],
    permissions: BROKER_ROLES.map((role) => {
      const u = BROKER_USERS[role];
      return { user: u.name, vhost, configure: u.configure, write: u.write, read: u.read };
    }),
  };
}
