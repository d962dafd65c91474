/*
 * Who may do what on the broker: one user per part, each with the least rights its part needs. RabbitMQ checks, per
 * vhost (https://www.rabbitmq.com/access-control.html):
 *   queue.declare / exchange.declare / queue.delete   configure on the queue or exchange
 *   queue.bind                                         write on the queue, read on the exchange
 *   basic.publish                                      write on the exchange (the default exchange is `amq.default`:
 *                                                      sendToQueue is checked against it, never against the queue)
 *   basic.consume / basic.get / queue.purge            read on the queue
 * So the orchestrator publishes through a named exchange (REQUESTS_EXCHANGE) and has no write on `amq.default`: it
 * cannot append to syncQ, nor publish to any queue that is not bound to its exchange, nor bind syncQ to it (no write
 * on syncQ). Workers append to syncQ and answer on the requester's reply queue through the default exchange.
 */

export type BrokerRole = 'orchestrator' | 'worker' | 'admin';

export const BROKER_ROLES: readonly BrokerRole[] = ['orchestrator', 'worker', 'admin'];

export interface BrokerUser {
  name: string;
  /** Tags of the user (management UI rights only; no AMQP right comes from them). */
  tags: string;
  configure: string;
  write: string;
  read: string;
}

export const BROKER_USERS: Record<BrokerRole, BrokerUser> = {
  // Declares the requests exchange, readQ, writeQ, responseQ and binds readQ and writeQ (write on them, read on the
  // exchange); publishes every request to the exchange; purges and consumes responseQ.
  orchestrator: {
    name: 'dbaas-orchestrator',
    tags: '',
    configure: '^(readQ|writeQ|responseQ|dbaas\\.requests)$',
    write: '^(readQ|writeQ|dbaas\\.requests)$',
    read: '^(responseQ|dbaas\\.requests)$',
  },
  // Declares the same plus syncQ, snapshotQ and its own control queue worker.<id>, binds readQ, writeQ and worker.<id> to the
  // exchange; consumes syncQ, snapshotQ, readQ, writeQ and worker.<id>; appends to syncQ and snapshotQ and replies through `amq.default`.
  worker: {
    name: 'dbaas-worker',
    tags: '',
    configure: '^(syncQ|snapshotQ|readQ|writeQ|responseQ|worker\\..+|dbaas\\.requests)$',
    write: '^(amq\\.default|readQ|writeQ|worker\\..+)$',
    read: '^(syncQ|snapshotQ|readQ|writeQ|worker\\..+|dbaas\\.requests)$',
  },
  // Everything: tests, the harness's inspection of each replica, operators.
  admin: { name: 'dbaas-admin', tags: 'administrator', configure: '.*', write: '.*', read: '.*' },
};
