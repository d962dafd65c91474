import { EventEmitter } from 'node:events';
import type { ZkClient, ZkClientEvents } from '../../common/zk/zk-client';

/*
 * An in-memory ZooKeeper for unit tests of election and takeover: one server, any number of sessions, ephemeral
 * nodes owned by their session, versions for conditional setData, one-shot watches. A session can be cut off (its
 * requests never answer, like a partitioned link), cut off from writes only (`readOnly`: a ZooKeeper follower cut off
 * from its leader keeps answering reads, but no write completes) or expired (its ephemeral nodes go, watches fire).
 * Errors carry the names the real client reports (NODE_EXISTS, NO_NODE, BAD_VERSION) through getName().
 */

interface FakeNode {
  data: unknown;
  version: number;
  owner: string | undefined;
}

type Watch = () => void;

function zkError(name: string, path: string): Error {
  return Object.assign(new Error(`${name}[${path}]`), { getName: () => name });
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

export class FakeZooKeeper {
  readonly nodes = new Map<string, FakeNode>([['/', { data: null, version: 0, owner: undefined }]]);
  /** Every change, in order, as `create /path`, `setData /path`, `remove /path`: what tests assert on. */
  readonly changes: string[] = [];
  private readonly watches = new Map<string, Watch[]>();
  private readonly childWatches = new Map<string, Watch[]>();
  private nextSession = 1;

  /** A new session, used where the code expects a ZkClient. */
  connect(sessionTimeoutMs = 1000): FakeZkSession {
    return new FakeZkSession(this, (this.nextSession++).toString(16).padStart(16, '0'), sessionTimeoutMs);
  }

  data<T>(path: string): T | undefined {
    return this.nodes.get(path)?.data as T | undefined;
  }

  /** The server ends a session: its ephemeral nodes are removed and the watches on them fire. */
  expire(session: FakeZkSession): void {
    this.end(session);
    session.emit('expired');
  }

  /** Ends a session without telling it (what a client's own close does). */
  end(session: FakeZkSession): void {
    for (const [path, node] of [...this.nodes]) if (node.owner === session.sessionId) this.remove(path);
    session.expired = true;
  }

  create(path: string, data: unknown, owner: string | undefined): void {
    if (this.nodes.has(path)) throw zkError('NODE_EXISTS', path);
    if (!this.nodes.has(parentOf(path))) throw zkError('NO_NODE', parentOf(path));
    this.nodes.set(path, { data: structuredClone(data), version: 0, owner });
    this.changes.push(`create ${path}`);
    this.fire(this.watches, path);
    this.fire(this.childWatches, parentOf(path));
  }

  setData(path: string, data: unknown, version: number): FakeNode {
    const node = this.nodes.get(path);
    if (!node) throw zkError('NO_NODE', path);
    if (version !== -1 && version !== node.version) throw zkError('BAD_VERSION', path);
    const next = { ...node, data: structuredClone(data), version: node.version + 1 };
    this.nodes.set(path, next);
    this.changes.push(`setData ${path}`);
    this.fire(this.watches, path);
    return next;
  }

  /** Removes a node (a missing one is no error, as with ZkClient); a version other than -1 must match. */
  remove(path: string, version = -1): void {
    const node = this.nodes.get(path);
    if (!node) return;
    if (version !== -1 && version !== node.version) throw zkError('BAD_VERSION', path);
    this.nodes.delete(path);
    this.changes.push(`remove ${path}`);
    this.fire(this.watches, path);
    this.fire(this.childWatches, parentOf(path));
  }

  watch(path: string, watch: Watch | undefined, children = false): void {
    if (!watch) return;
    const map = children ? this.childWatches : this.watches;
    map.set(path, [...(map.get(path) ?? []), watch]);
  }

  private fire(map: Map<string, Watch[]>, path: string): void {
    const fired = map.get(path) ?? [];
    map.delete(path);
    for (const w of fired) setImmediate(w);
  }
}

export class FakeZkSession extends EventEmitter<ZkClientEvents> {
  /** When true, requests are sent but never answered (a cut link, a server that stopped answering). */
  cutOff = false;
  /** When true, reads are answered but writes never are (a follower that lost its leader). */
  readOnly = false;
  expired = false;

  constructor(
    private readonly server: FakeZooKeeper,
    readonly sessionId: string,
    readonly sessionTimeoutMs: number,
  ) {
    super();
  }

  /** This session typed as the client the worker code expects (it uses only the methods below). */
  get client(): ZkClient {
    return this as unknown as ZkClient;
  }

  private call<T>(run: () => T, write = false): Promise<T> {
    if (this.cutOff || (write && this.readOnly)) return new Promise<T>(() => undefined);
    if (this.expired) return Promise.reject(zkError('SESSION_EXPIRED', ''));
    return new Promise<T>((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(run());
        } catch (err) {
          reject(err);
        }
      }),
    );
  }

  private stat(node: FakeNode) {
    return { version: node.version, ephemeralOwner: Buffer.from(node.owner ?? '0'.repeat(16), 'hex') };
  }

  mkdirp(path: string): Promise<void> {
    return this.call(() => {
      let at = '';
      for (const part of path.split('/').filter(Boolean)) {
        at += `/${part}`;
        if (!this.server.nodes.has(at)) this.server.create(at, null, undefined);
      }
    });
  }

  create(path: string, data: unknown, mode: 'ephemeral' | 'persistent'): Promise<void> {
    return this.call(() => this.server.create(path, data, mode === 'ephemeral' ? this.sessionId : undefined), true);
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call(() => this.server.remove(path, version), true);
  }

  exists(path: string, watcher?: () => void) {
    return this.call(() => {
      this.server.watch(path, watcher);
      const node = this.server.nodes.get(path);
      return node ? this.stat(node) : null;
    });
  }

  getData<T>(path: string, watcher?: () => void) {
    return this.call(() => {
      this.server.watch(path, watcher);
      const node = this.server.nodes.get(path);
      return node ? { data: structuredClone(node.data) as T, stat: this.stat(node) } : null;
    });
  }

  setData(path: string, data: unknown, version = -1) {
    return this.call(() => this.stat(this.server.setData(path, data, version)), true);
  }

  getChildren(path: string, watcher?: () => void): Promise<string[]> {
    return this.call(() => {
      if (!this.server.nodes.has(path)) throw zkError('NO_NODE', path);
      this.server.watch(path, watcher, true);
      const prefix = path === '/' ? '/' : `${path}/`;
      return [...this.server.nodes.keys()].filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/') && p !== path).map((p) => p.slice(prefix.length));
    });
  }

  close(): void {
    this.server.end(this);
  }
}
