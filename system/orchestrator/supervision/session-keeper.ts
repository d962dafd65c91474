import { EventEmitter } from 'node:events';
import { UnavailableError } from '../../common/errors/errors';
import type { Logger } from '../../common/logging/logger';
import { sleepOn, systemClock, type Clock } from '../../common/time/clock';
import type { ZkClient } from '../../common/zk/zk-client';

/** What a SessionKeeper emits; typed so that a misspelled event name fails to compile. */
export interface SessionKeeperEvents {
  /** The session expired: its ephemeral nodes and watches are gone. A new one is being opened. */
  lost: [];
  /** A new session replaced the lost one (ephemeral nodes and watches must be set again). */
  renewed: [];
  /** The same session answers again after a disconnection (its ephemeral nodes and watches are intact). */
  reconnected: [];
}

/** The orchestrator's ZooKeeper session as the supervisor and the HTTP API see it. */
export interface ZkSession extends EventEmitter<SessionKeeperEvents> {
  /** The client of the current session; throws an UnavailableError (503) while there is no usable session. */
  zk(): ZkClient;
  readonly available: boolean;
}

export interface SessionKeeperOptions {
  /** Creates a client and connects it (rejects when no session could be opened). */
  open: () => Promise<ZkClient>;
  /** Pause between failed attempts to open a new session. */
  retryMs: number;
  log: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /**
   * A disconnection longer than this (the session timeout) counts as a lost session: ZooKeeper has expired it, or the
   * client is stuck reconnecting and will never say so. Without it, only the client's 'expired' event does.
   */
  giveUpAfterMs?: number;
}

/*
 * Keeps the orchestrator connected to ZooKeeper for as long as it runs. The orchestrator only watches and announces;
 * its workers have sessions of their own. So a lost session (the orchestrator was paused longer than its session, cut
 * off, or ZooKeeper was away too long) is no reason to stop anything: the keeper opens a new session, retrying every
 * `retryMs` for as long as it takes, and says so ('renewed'); the supervisor then sets its watches and its /starting
 * announcements again and adopts the workers it still has handles for. While there is no usable session (expired, or
 * disconnected and not back yet) `zk()` throws at once, so what needs ZooKeeper answers 503 instead of waiting.
 */
export class SessionKeeper extends EventEmitter<SessionKeeperEvents> implements ZkSession {
  private client: ZkClient | undefined;
  private connected = false;
  /** When the session became unusable (monotonic), for the 503's message. */
  private downSince = 0;
  private closed = false;
  private renewing: Promise<void> | undefined;
  private giveUp: unknown;
  /** Sessions opened after the first one. */
  renewals = 0;
  private readonly clock: Clock;

  constructor(private readonly o: SessionKeeperOptions) {
    super();
    this.clock = o.clock ?? systemClock;
  }

  /** Opens the first session; fails when ZooKeeper does not answer (the orchestrator cannot start without it). */
  async start(): Promise<void> {
    this.adopt(await this.o.open());
  }

  get available(): boolean {
    return this.client !== undefined && this.connected;
  }

  zk(): ZkClient {
    if (this.client && this.connected) return this.client;
    const seconds = ((this.clock.now() - this.downSince) / 1000).toFixed(1);
    const why = this.client ? `disconnected from ZooKeeper for ${seconds} s` : `without a ZooKeeper session for ${seconds} s (opening a new one)`;
    throw new UnavailableError(`the orchestrator is ${why}; its workers keep running: try again shortly`);
  }

  private adopt(zk: ZkClient): void {
    this.client = zk;
    this.connected = true;
    zk.on('disconnected', () => {
      if (this.client !== zk || !this.connected) return;
      this.connected = false;
      this.downSince = this.clock.now();
      this.o.log.warn('the orchestrator is disconnected from ZooKeeper; reconnecting');
      /*
       * node-zookeeper-client can stay disconnected for good without ever reporting expiry (seen when ZooKeeper
       * restarted in a container: connections accepted while it loaded its database were closed, and the client never
       * came back). Past the session timeout the session is worth nothing anyway: open a new one.
       */
      if (this.o.giveUpAfterMs !== undefined) {
        this.giveUp = this.clock.setTimeout(() => {
          if (this.client !== zk || this.connected) return;
          this.o.log.warn({ downMs: Math.round(this.clock.now() - this.downSince) }, 'the orchestrator was disconnected from ZooKeeper longer than its session: giving it up');
          this.onExpired(zk);
        }, this.o.giveUpAfterMs);
      }
    });
    zk.on('connected', () => {
      if (this.client !== zk || this.connected) return;
      this.clock.clearTimeout(this.giveUp);
      this.connected = true;
      this.o.log.info('the orchestrator is connected to ZooKeeper again, same session');
      this.emit('reconnected');
    });
    zk.on('expired', () => {
      if (this.client === zk) this.onExpired(zk);
    });
  }

  private onExpired(zk: ZkClient): void {
    this.clock.clearTimeout(this.giveUp);
    if (this.connected) this.downSince = this.clock.now();
    this.client = undefined;
    this.connected = false;
    try {
      zk.close();
    } catch {
      // Closing a dead session can only fail in ways that change nothing.
    }
    if (this.closed) return;
    this.o.log.error('the orchestrator lost its ZooKeeper session; opening a new one (the workers keep running)');
    this.emit('lost');
    this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
  }

  private async renew(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        const zk = await this.o.open();
        if (this.closed) {
          zk.close();
          return;
        }
        this.adopt(zk);
        this.renewals++;
        this.o.log.warn({ attempt, downMs: Math.round(this.clock.now() - this.downSince) }, 'the orchestrator has a new ZooKeeper session');
        this.emit('renewed');
        return;
      } catch (err) {
        this.o.log.warn({ attempt, err: (err as Error).message }, 'could not open a new ZooKeeper session; trying again');
        await sleepOn(this.clock, this.o.retryMs);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.giveUp);
    const zk = this.client;
    this.client = undefined;
    this.connected = false;
    zk?.close();
  }
}
