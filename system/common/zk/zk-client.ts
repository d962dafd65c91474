import { EventEmitter } from 'node:events';
import zookeeper, { type Client, type Event, type Stat } from 'node-zookeeper-client';
import { UnavailableError } from '../errors/errors';

/*
 * A small promise-based face over node-zookeeper-client. All paths are relative to a root (ZK_ROOT), which is how
 * deployments and test suites keep out of each other's way on one server. Errors keep the library's codes
 * (NO_NODE, NODE_EXISTS, BAD_VERSION...) through `zkErrorName`.
 */

export interface ZkClientOptions {
  /** host:port[,host:port] of the ZooKeeper ensemble. */
  connect: string;
  /** Prefix of every path, like /dbaas. Created at connect when missing. */
  root: string;
  /** Requested session timeout; the server may grant a different one (see `sessionTimeoutMs`). */
  sessionTimeoutMs: number;
  /** How long `connect()` waits for the first session before failing. Default 15000. */
  connectTimeoutMs?: number;
}

export type Watcher = (event: Event) => void;

export function zkErrorName(err: unknown): string | undefined {
  const e = err as { getName?: () => string; name?: string } | undefined;
  return typeof e?.getName === 'function' ? e.getName() : undefined;
}

export const isNoNode = (err: unknown) => zkErrorName(err) === 'NO_NODE';
export const isNodeExists = (err: unknown) => zkErrorName(err) === 'NODE_EXISTS';

/** What a ZkClient emits (the session's life); typed so that a misspelled event name fails to compile. */
export interface ZkClientEvents {
  connected: [];
  disconnected: [];
  /** The session is gone for good: its ephemeral nodes and watches with it. */
  expired: [];
}

export class ZkClient extends EventEmitter<ZkClientEvents> {
  private readonly client: Client;
  private readonly root: string;

  constructor(private readonly options: ZkClientOptions) {
    super();
    this.root = options.root === '/' ? '' : options.root;
    this.client = zookeeper.createClient(options.connect, {
      sessionTimeout: options.sessionTimeoutMs,
      spinDelay: 100,
      retries: 2,
    });
    this.client.on('disconnected', () => this.emit('disconnected'));
    this.client.on('connected', () => this.emit('connected'));
    this.client.on('expired', () => this.emit('expired'));
  }

  async connect(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 15000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.close();
        reject(new UnavailableError(`ZooKeeper at ${this.options.connect} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.connect();
    });
    if (this.root) await this.mkdirp('');
  }

  close(): void {
    this.client.close();
  }

  /** The session timeout the server granted, in ms. */
  get sessionTimeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  get sessionId(): string {
    return this.client.getSessionId().toString('hex');
  }

  full(path: string): string {
    return `${this.root}${path}` || '/';
  }

  mkdirp(path: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.mkdirp(this.full(path), (err) => (err ? reject(err) : resolve())),
    );
  }

  create(path: string, data: unknown, mode: 'ephemeral' | 'persistent'): Promise<void> {
    const m = mode === 'ephemeral' ? zookeeper.CreateMode.EPHEMERAL : zookeeper.CreateMode.PERSISTENT;
    return new Promise((resolve, reject) =>
      this.client.create(this.full(path), encode(data), m, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** Removes a node; a node already gone is not an error. */
  remove(path: string, version = -1): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.remove(this.full(path), version, (err) => (err && !isNoNode(err) ? reject(err) : resolve())),
    );
  }

  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    return new Promise((resolve, reject) => {
      const cb = (err: unknown, stat: Stat) => (err ? reject(err) : resolve(stat ?? null));
      if (watcher) this.client.exists(this.full(path), watcher, cb);
      else this.client.exists(this.full(path), cb);
    });
  }

  /** Data of a node parsed as JSON, or null when the node does not exist. */
  async getData<T>(path: string, watcher?: Watcher): Promise<{ data: T; stat: Stat } | null> {
    try {
      return await new Promise((resolve, reject) => {
        const cb = (err: unknown, data: Buffer, stat: Stat) =>
          err ? reject(err) : resolve({ data: decode(data) as T, stat });
        if (watcher) this.client.getData(this.full(path), watcher, cb);
        else this.client.getData(this.full(path), cb);
      });
    } catch (err) {
      if (isNoNode(err)) return null;
      throw err;
    }
  }

  setData(path: string, data: unknown, version = -1): Promise<Stat> {
    return new Promise((resolve, reject) =>
      this.client.setData(this.full(path), encode(data), version, (err, stat) => (err ? reject(err) : resolve(stat))),
    );
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const cb = (err: unknown, children: string[]) => (err ? reject(err) : resolve(children));
      if (watcher) this.client.getChildren(this.full(path), watcher, cb);
      else this.client.getChildren(this.full(path), cb);
    });
  }
}

function encode(data: unknown): Buffer {
  return Buffer.from(JSON.stringify(data ?? null));
}

function decode(buf: Buffer | undefined): unknown {
  if (!buf || buf.length === 0) return null;
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    return null;
  }
}
