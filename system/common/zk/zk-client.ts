import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import zookeeper, { type ACL, type Client, type Event, type Stat } from 'node-zookeeper-client';
import { ServiceSetupError, UnavailableError } from '../errors/errors';

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
  /** Longest a request may take before it fails as CONNECTION_LOSS. Default: twice the session timeout. */
  requestTimeoutMs?: number;
  /**
   * Longest a connection attempt waits for the server's answer to its handshake once TCP is connected; past it the
   * socket is dropped and the next attempt made (checked a fifth of it apart, so up to 1.4 times as long; doubled
   * after each drop in a row, up to the session timeout). Default: a third of the requested session timeout, at
   * least 1000 ms.
   */
  handshakeTimeoutMs?: number;
  /**
   * `user:password` (ZOOKEEPER_AUTH): the session authenticates with it (digest scheme) and every node it creates,
   * the root included, gets the ACL all rights for that identity, read for anyone. Unset: nodes are open to all.
   */
  auth?: string;
}

export type Watcher = (event: Event) => void;

export function zkErrorName(err: unknown): string | undefined {
  const e = err as { getName?: () => string; name?: string } | undefined;
  return typeof e?.getName === 'function' ? e.getName() : undefined;
}

/** A request that got no answer within its bound: named CONNECTION_LOSS, like the library's own error for it. */
export class ZkRequestTimeout extends Error {
  constructor(ms: number) {
    super(`ZooKeeper did not answer within ${ms} ms (CONNECTION_LOSS)`);
  }

  getName(): string {
    return 'CONNECTION_LOSS';
  }
}

export const isNoNode = (err: unknown) => zkErrorName(err) === 'NO_NODE';
export const isNodeExists = (err: unknown) => zkErrorName(err) === 'NODE_EXISTS';
export const isNoAuth = (err: unknown) => zkErrorName(err) === 'NO_AUTH';

/** The ACL of every node under the root: all rights for the digest identity of `auth`, read for anyone. */
export function digestAcl(auth: string): ACL[] {
  const user = auth.slice(0, auth.indexOf(':'));
  const digest = createHash('sha1').update(auth).digest('base64');
  return [
    new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', `${user}:${digest}`)),
    new zookeeper.ACL(zookeeper.Permission.READ, new zookeeper.Id('world', 'anyone')),
  ];
}

/** Anyone may do anything: the ACL without ZOOKEEPER_AUTH (ZooKeeper's OPEN_ACL_UNSAFE). */
const OPEN_ACL: ACL[] = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))];

/** An ACL list as comparable text (the library's ACL objects carry `permission`, its types say `perms`). */
function aclKey(acls: ACL[]): string {
  const perms = (a: ACL) => (a as unknown as { permission?: number }).permission ?? a.perms;
  return acls
    .map((a) => `${a.id.scheme}:${a.id.id}=${perms(a)}`)
    .sort()
    .join(',');
}

/** What ZkClient uses of the library's current socket (a net.Socket). */
type LibrarySocket = Pick<Socket, 'connecting' | 'destroyed' | 'destroy'>;

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
  /** The ACL of the nodes this client creates. */
  private readonly acl: ACL[];

  constructor(private readonly options: ZkClientOptions) {
    super();
    this.root = options.root === '/' ? '' : options.root;
    this.client = zookeeper.createClient(options.connect, {
      sessionTimeout: options.sessionTimeoutMs,
      spinDelay: 100,
      retries: 2,
    });
    this.acl = options.auth ? digestAcl(options.auth) : OPEN_ACL;
    // Kept by the library and sent again on every (re)connection, before any request.
    if (options.auth) this.client.addAuthInfo('digest', Buffer.from(options.auth));
    this.client.on('disconnected', () => {
      this.isConnected = false;
      this.emit('disconnected');
    });
    this.client.on('connected', () => {
      this.isConnected = true;
      this.probeSentAt = undefined;
      this.emit('connected');
    });
    this.client.on('expired', () => this.emit('expired'));
  }

  private isConnected = false;
  private probeSentAt: number | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private handshakeGuard: NodeJS.Timeout | undefined;
  /** The socket whose handshake is awaited, and since when (first seen connected at TCP level, unanswered). */
  private handshake: { socket: unknown; since: number } | undefined;
  /** Handshakes dropped in a row since the last connection. */
  private handshakeDrops = 0;

  /*
   * node-zookeeper-client has no read timeout (it is commented out in its ConnectionManager): it pings when its socket
   * is idle, but never notices that nothing comes back. Over a partitioned link it believes itself connected for as
   * long as the partition lasts: requests hang instead of failing, 'disconnected' never comes, and an orchestrator
   * that should answer 503 at once answers nothing (found by the partition scenario's cut-orchestrator-zookeeper).
   * So the client probes: a cheap request every third of the session timeout; one unanswered for two thirds of it
   * (the read timeout ZooKeeper's own clients use) closes the connection, which fails the pending requests with
   * CONNECTION_LOSS, says 'disconnected', and makes the library reconnect (same session, if the server still has it).
   */
  private startWatchdog(): void {
    const readTimeoutMs = Math.max(100, Math.floor((this.sessionTimeoutMs * 2) / 3));
    const everyMs = Math.max(50, Math.floor(this.sessionTimeoutMs / 6));
    this.watchdog = setInterval(() => {
      if (!this.isConnected) return;
      const sent = this.probeSentAt;
      if (sent === undefined) {
        const at = Date.now();
        this.probeSentAt = at;
        this.client.exists('/', () => {
          if (this.probeSentAt === at) this.probeSentAt = undefined;
        });
      } else if (Date.now() - sent > readTimeoutMs) {
        this.probeSentAt = undefined;
        this.dropConnection();
      }
    }, everyMs);
    this.watchdog.unref();
  }

  /*
   * The library bounds a connection attempt only until TCP connects (its connectTimeout, the whole session timeout
   * with one server); after that it waits for the server's answer to its handshake with no bound at all. ZooKeeper
   * 3.8 can leave that answer out for good: a connection that arrives while the server is starting is refused with
   * "ZooKeeperServer not running", and closing it fails (a NullPointerException, zkDb is still null; unfixed upstream,
   * ZOOKEEPER-5051), so the socket stays open and silent. The orchestrator sat in it until its session expired, in 14
   * of 35 ZooKeeper restarts of the soak of record (each a new session and every worker replaced). So a handshake
   * unanswered for the bound drops the socket and the library tries again; on a server that runs, a handshake takes
   * milliseconds. The bound doubles with each drop in a row (a slow disk can make a new session's answer slow),
   * up to the session timeout, and is back to `handshakeTimeoutMs` once connected.
   */
  private startHandshakeGuard(): void {
    if (this.handshakeGuard) clearInterval(this.handshakeGuard);
    const baseMs = this.options.handshakeTimeoutMs ?? Math.max(1000, Math.floor(this.options.sessionTimeoutMs / 3));
    const everyMs = Math.max(50, Math.floor(baseMs / 5));
    this.handshakeGuard = setInterval(() => {
      const socket = this.librarySocket();
      if (this.isConnected || !socket || socket.connecting || socket.destroyed) {
        this.handshake = undefined;
        if (this.isConnected) this.handshakeDrops = 0;
        return;
      }
      const limitMs = Math.min(Math.max(baseMs, this.options.sessionTimeoutMs), baseMs * 2 ** this.handshakeDrops);
      if (this.handshake?.socket !== socket) {
        this.handshake = { socket, since: Date.now() };
      } else if (Date.now() - this.handshake.since > limitMs) {
        this.handshake = undefined;
        // After a stalled event loop the answer may be waiting unread: the socket is read before it is judged.
        setImmediate(() => {
          if (this.isConnected || this.librarySocket() !== socket || socket.destroyed) return;
          this.handshakeDrops++;
          socket.destroy();
        });
      }
    }, everyMs);
    this.handshakeGuard.unref();
  }

  /** The library's socket (its internals: there is no public way to reach it). */
  private librarySocket(): LibrarySocket | undefined {
    return (this.client as unknown as { connectionManager?: { socket?: LibrarySocket } }).connectionManager?.socket;
  }

  /** Closes the library's socket; it reconnects by itself. */
  private dropConnection(): void {
    this.librarySocket()?.destroy();
  }

  async connect(): Promise<void> {
    const timeoutMs = this.options.connectTimeoutMs ?? 15000;
    this.startHandshakeGuard();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close();
        reject(new UnavailableError(`ZooKeeper at ${this.options.connect} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.connect();
    });
    this.startWatchdog();
    try {
      if (this.root) await this.makeRoot();
      if (this.root && this.options.auth) await this.secureTree();
    } catch (err) {
      // A client that failed to connect is closed: no timers, no session left behind.
      this.close();
      throw err;
    }
  }

  /**
   * The root with this client's ACL; the nodes above it (/test of /test/suite, say) are namespaces shared with other
   * deployments, which may use other credentials or none: they are created open.
   */
  private async makeRoot(): Promise<void> {
    const parts = this.root.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const path = `/${parts.slice(0, i).join('/')}`;
      await this.createRaw(path, i === parts.length ? this.acl : OPEN_ACL).catch((err) => {
        if (!isNodeExists(err)) throw err;
      });
    }
  }

  /**
   * Nodes created before ZOOKEEPER_AUTH was set (or by an older version) are open to anyone: a stranger could add a
   * node under /workers. When the root's ACL is not ours, every node below it, then the root itself (last, so that a
   * secured root means a secured tree), gets our ACL, if ZooKeeper lets us: a tree made with other credentials is an
   * error that says what to do. Only below a root of our own: with no ZK_ROOT the tree is the whole server's.
   */
  private async secureTree(): Promise<void> {
    const rootPath = this.full('');
    const current = await this.getAcl(rootPath);
    if (current === null || aclKey(current) === aclKey(this.acl)) return;
    const secure = async (path: string): Promise<void> => {
      const children = await new Promise<string[]>((resolve, reject) =>
        this.client.getChildren(path, (err, c) => (err ? (isNoNode(err) ? resolve([]) : reject(err)) : resolve(c))),
      );
      for (const child of children) await secure(`${path === '/' ? '' : path}/${child}`);
      const acl = await this.getAcl(path);
      if (acl === null || aclKey(acl) === aclKey(this.acl)) return;
      await new Promise<void>((resolve, reject) =>
        this.client.setACL(path, this.acl, -1, (err) => (err && !isNoNode(err) ? reject(err) : resolve())),
      ).catch((err) => {
        if (!isNoAuth(err)) throw err;
        throw new ServiceSetupError(
          `ZooKeeper node ${path} was created with other credentials than ZOOKEEPER_AUTH's; ` +
            `use those, or delete ${rootPath} (the local ZooKeeper: npm run services -- wipe)`,
        );
      });
    };
    await secure(rootPath);
  }

  private getAcl(path: string): Promise<ACL[] | null> {
    return new Promise((resolve, reject) =>
      this.client.getACL(path, (err, acls) => (err ? (isNoNode(err) ? resolve(null) : reject(err)) : resolve(acls))),
    );
  }

  private createRaw(path: string, acl: ACL[], mode: number = zookeeper.CreateMode.PERSISTENT, data: Buffer = Buffer.alloc(0)): Promise<void> {
    return this.bounded(new Promise((resolve, reject) => this.client.create(path, data, acl, mode, (err) => (err ? reject(err) : resolve()))));
  }

  /*
   * Every request is bounded in time. The library retries a request that failed with CONNECTION_LOSS (`retries`) by
   * queueing it for the next connection, and a request queued so is never answered when that connection finds the
   * session expired: it would hang for good (a partition longer than the session did it). Past the bound it fails
   * as CONNECTION_LOSS, which every caller already handles as "ZooKeeper is not reachable now".
   */
  private bounded<T>(request: Promise<T>): Promise<T> {
    const ms = this.options.requestTimeoutMs ?? Math.max(1000, 2 * this.options.sessionTimeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ZkRequestTimeout(ms)), ms);
    });
    return Promise.race([request, timeout]).finally(() => clearTimeout(timer));
  }

  close(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.handshakeGuard) clearInterval(this.handshakeGuard);
    this.isConnected = false;
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

  /** Creates a path below the root and every missing node on the way (empty, persistent, with our ACL). */
  async mkdirp(path: string): Promise<void> {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      await this.createRaw(this.full(`/${parts.slice(0, i).join('/')}`), this.acl).catch((err) => {
        if (!isNodeExists(err)) throw err;
      });
    }
  }

  create(path: string, data: unknown, mode: 'ephemeral' | 'persistent'): Promise<void> {
    const m = mode === 'ephemeral' ? zookeeper.CreateMode.EPHEMERAL : zookeeper.CreateMode.PERSISTENT;
    return this.createRaw(this.full(path), this.acl, m, encode(data));
  }

  /** Removes a node; a node already gone is not an error. */
  remove(path: string, version = -1): Promise<void> {
    return this.bounded(
      new Promise((resolve, reject) => this.client.remove(this.full(path), version, (err) => (err && !isNoNode(err) ? reject(err) : resolve()))),
    );
  }

  exists(path: string, watcher?: Watcher): Promise<Stat | null> {
    return this.bounded(
      new Promise((resolve, reject) => {
        const cb = (err: unknown, stat: Stat) => (err ? reject(err) : resolve(stat ?? null));
        if (watcher) this.client.exists(this.full(path), watcher, cb);
        else this.client.exists(this.full(path), cb);
      }),
    );
  }

  /** Data of a node parsed as JSON, or null when the node does not exist. */
  async getData<T>(path: string, watcher?: Watcher): Promise<{ data: T; stat: Stat } | null> {
    try {
      return await this.bounded(
        new Promise((resolve, reject) => {
          const cb = (err: unknown, data: Buffer, stat: Stat) => (err ? reject(err) : resolve({ data: decode(data) as T, stat }));
          if (watcher) this.client.getData(this.full(path), watcher, cb);
          else this.client.getData(this.full(path), cb);
        }),
      );
    } catch (err) {
      if (isNoNode(err)) return null;
      throw err;
    }
  }

  setData(path: string, data: unknown, version = -1): Promise<Stat> {
    return this.bounded(
      new Promise((resolve, reject) => this.client.setData(this.full(path), encode(data), version, (err, stat) => (err ? reject(err) : resolve(stat)))),
    );
  }

  getChildren(path: string, watcher?: Watcher): Promise<string[]> {
    return this.bounded(
      new Promise((resolve, reject) => {
        const cb = (err: unknown, children: string[]) => (err ? reject(err) : resolve(children));
        if (watcher) this.client.getChildren(this.full(path), watcher, cb);
        else this.client.getChildren(this.full(path), cb);
      }),
    );
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
