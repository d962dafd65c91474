import net from 'node:net';

/** `up`: from the client (a worker, the orchestrator) to the server (RabbitMQ, ZooKeeper); `down`: the way back. */
export type Direction = 'up' | 'down';
export const BOTH: readonly Direction[] = ['up', 'down'];

export interface Address {
  host: string;
  port: number;
}

export interface LinkStats {
  /** Connections open now (accepted from the client, whether or not the server side is connected yet). */
  connections: number;
  /** Connections accepted since the proxy opened. */
  accepted: number;
  /** Bytes delivered to the other side, per direction, since the proxy opened. */
  forwarded: Record<Direction, number>;
  /** Bytes read from the sending side, per direction, since the proxy opened (delivered or not). */
  received: Record<Direction, number>;
  /** Bytes read from one side and not delivered yet (held by a cut or a delay), per direction. */
  held: Record<Direction, number>;
  /** Connections reset by `reset()` since the proxy opened. */
  resets: number;
}

/** Bytes a cut holds per connection and direction before it stops reading (the sender's TCP window does the rest). */
const HOLD_LIMIT = 1 << 20;

type Item = { due: number; chunk?: Buffer; end?: true };

/*
 * One direction of one proxied connection. Bytes read from `source` go through a queue to `sink`, in order: a cut
 * keeps them queued (as a partitioned network keeps retransmitting: nothing is lost, nothing arrives), a delay keeps
 * each chunk for its time, and the end of the stream (FIN) is queued like the bytes before it, so that a peer that
 * closed during a cut is seen to close only once the link heals.
 */
class Pipe {
  private readonly queue: Item[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queuedBytes = 0;
  private ended = false;
  private sink: net.Socket | undefined;
  forwarded = 0;

  constructor(
    private readonly source: net.Socket,
    private readonly link: LinkProxy,
    private readonly direction: Direction,
  ) {
    source.on('data', (chunk: Buffer) => {
      this.link.countReceived(direction, chunk.length);
      this.push({ due: Date.now() + this.link.delayOf(direction), chunk });
    });
    source.on('end', () => this.sourceClosed());
  }

  get held(): number {
    return this.queuedBytes;
  }

  /** The source is closed: its end is queued (once), behind what it sent. */
  sourceClosed(): void {
    if (!this.ended) this.push({ due: Date.now() + this.link.delayOf(this.direction), end: true });
  }

  /** The other side, once it is connected; until then everything is held. */
  attach(sink: net.Socket): void {
    this.sink = sink;
    this.pump();
  }

  private push(item: Item): void {
    if (item.end) this.ended = true;
    this.queue.push(item);
    this.queuedBytes += item.chunk?.length ?? 0;
    if (this.queuedBytes > HOLD_LIMIT) this.source.pause();
    this.pump();
  }

  /** Delivers what is due, unless the direction is cut; called on every change (data, heal, timer). */
  pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const sink = this.sink;
    if (!sink || sink.destroyed || this.link.isCut(this.direction)) return;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      this.queue.shift();
      if (head.end) {
        sink.end();
        continue;
      }
      const chunk = head.chunk!;
      this.queuedBytes -= chunk.length;
      this.forwarded += chunk.length;
      this.link.count(this.direction, chunk.length);
      sink.write(chunk);
    }
    if (this.queuedBytes <= HOLD_LIMIT && this.source.isPaused()) this.source.resume();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** One client connection through the proxy, and its connection to the server (made once the link lets it). */
class ProxiedConnection {
  readonly up: Pipe;
  down: Pipe | undefined;
  server: net.Socket | undefined;
  closed = false;

  constructor(
    readonly client: net.Socket,
    private readonly link: LinkProxy,
  ) {
    client.setNoDelay(true);
    this.up = new Pipe(client, link, 'up');
    client.on('error', () => undefined); // 'close' follows, and is what counts
    client.on('close', () => this.onClose(this.up));
  }

  /** Opens the server side: only while no direction is cut, as a TCP handshake needs both. */
  connect(target: Address): void {
    if (this.server || this.closed) return;
    const server = net.connect({ host: target.host, port: target.port, noDelay: true });
    this.server = server;
    const down = new Pipe(server, this.link, 'down');
    this.down = down;
    let opened = false;
    server.on('connect', () => {
      opened = true;
      this.up.attach(server);
      down.attach(this.client);
    });
    server.on('error', () => undefined);
    server.on('close', () => {
      if (!opened) {
        // Cut meanwhile: the refusal is behind the cut too; the connection waits, and is tried again when it heals.
        if (this.link.isCut('up') || this.link.isCut('down')) {
          this.server = undefined;
          this.down = undefined;
          return;
        }
        // Refused or failed before it opened (the server is down, restarting): the client gets a reset, as it would
        // from the server's host. Left open, it would wait forever for a handshake no one will answer.
        return this.reset();
      }
      this.onClose(down);
    });
  }

  pump(): void {
    this.up.pump();
    this.down?.pump();
  }

  get held(): Record<Direction, number> {
    return { up: this.up.held, down: this.down?.held ?? 0 };
  }

  /** A real TCP reset (RST) to both peers. */
  reset(): void {
    this.closed = true;
    this.client.resetAndDestroy();
    this.server?.resetAndDestroy();
    this.finish();
  }

  /*
   * One side closed (FIN, reset or failure). Its end goes through the pipe like its bytes did, behind them: while
   * that direction is cut, the other peer does not see the close either (a partition hides a FIN as it hides bytes).
   * Once both sides are closed, or the server side never opened, the connection is gone.
   */
  private onClose(from: Pipe): void {
    from.sourceClosed();
    const serverGone = !this.server || this.server.destroyed;
    if (this.client.destroyed && serverGone) this.finish();
  }

  private finish(): void {
    if (this.client.destroyed === false) this.client.destroy();
    this.server?.destroy();
    this.closed = true;
    this.up.stop();
    this.down?.stop();
    this.link.forget(this);
  }
}

/*
 * A user-space TCP proxy for one link (a worker's or the orchestrator's connection to RabbitMQ or to ZooKeeper), on
 * 127.0.0.1, that the harness can cut per direction (bytes stop flowing, sockets stay open), slow down, or reset. A
 * cut is a real partition as the peers see it: their bytes go out and nothing comes back, heartbeats go unanswered,
 * sessions expire at the server, and a connection opened meanwhile hangs (its server side is connected only when
 * the link heals). No root needed, no change to the kernel's network, nothing but loopback.
 */
export class LinkProxy {
  private readonly server: net.Server;
  private readonly live = new Set<ProxiedConnection>();
  private readonly cut: Record<Direction, boolean> = { up: false, down: false };
  private readonly delay: Record<Direction, number> = { up: 0, down: 0 };
  private readonly totals = {
    accepted: 0,
    resets: 0,
    forwarded: { up: 0, down: 0 } as Record<Direction, number>,
    received: { up: 0, down: 0 } as Record<Direction, number>,
  };
  private boundPort = 0;

  private constructor(
    readonly name: string,
    readonly target: Address,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1 (port 0: any free one) and forwards to `target`. */
  static async open(name: string, target: Address, port = 0): Promise<LinkProxy> {
    const proxy = new LinkProxy(name, target);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(port, '127.0.0.1', () => resolve());
    });
    proxy.boundPort = (proxy.server.address() as net.AddressInfo).port;
    return proxy;
  }

  get port(): number {
    return this.boundPort;
  }

  /** `127.0.0.1:<port>`: what the client connects to instead of the target. */
  get address(): string {
    return `127.0.0.1:${this.boundPort}`;
  }

  isCut(direction: Direction): boolean {
    return this.cut[direction];
  }

  delayOf(direction: Direction): number {
    return this.delay[direction];
  }

  /** Stops delivering bytes in these directions; what is sent meanwhile is held, not lost. */
  blackhole(directions: readonly Direction[] = BOTH): void {
    for (const d of directions) this.cut[d] = true;
  }

  /** Adds `ms` of latency to every chunk in these directions (0: none). */
  slow(ms: number, directions: readonly Direction[] = BOTH): void {
    for (const d of directions) this.delay[d] = ms;
    this.pumpAll();
  }

  /** Heals every cut and delay: held bytes are delivered in order, connections that waited are opened. */
  pass(): void {
    this.cut.up = this.cut.down = false;
    this.delay.up = this.delay.down = 0;
    this.pumpAll();
  }

  /** Resets every open connection (RST to both peers); returns how many. New connections go through as before. */
  reset(): number {
    const all = [...this.live];
    for (const c of all) c.reset();
    this.totals.resets += all.length;
    return all.length;
  }

  stats(): LinkStats {
    const held = { up: 0, down: 0 };
    for (const c of this.live) {
      const h = c.held;
      held.up += h.up;
      held.down += h.down;
    }
    const { accepted, resets } = this.totals;
    return { connections: this.live.size, accepted, forwarded: { ...this.totals.forwarded }, received: { ...this.totals.received }, held, resets };
  }

  /** @internal (pipes count what they deliver) */
  count(direction: Direction, bytes: number): void {
    this.totals.forwarded[direction] += bytes;
  }

  /** @internal (pipes count what they read) */
  countReceived(direction: Direction, bytes: number): void {
    this.totals.received[direction] += bytes;
  }

  /** @internal (a connection that is gone) */
  forget(c: ProxiedConnection): void {
    this.live.delete(c);
  }

  async close(): Promise<void> {
    for (const c of [...this.live]) {
      c.closed = true;
      c.client.destroy();
      c.server?.destroy();
      this.live.delete(c);
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.totals.accepted++;
    const c = new ProxiedConnection(socket, this);
    this.live.add(c);
    if (!this.cut.up && !this.cut.down) c.connect(this.target);
  }

  private pumpAll(): void {
    for (const c of this.live) {
      if (!this.cut.up && !this.cut.down) c.connect(this.target);
      c.pump();
    }
  }
}
