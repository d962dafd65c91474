import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ChannelModel, ConsumeMessage } from '../../common/amqp/amqp';
import { SNAPSHOT_QUEUE } from '../../common/protocol/messages';
import type { SnapshotInfo } from './snapshot-index';

/*
 * Snapshots as messages of the snapshotQ stream: one SQLite file cut into chunks, each with headers naming the
 * snapshot and the chunk's place. A stream keeps them in the broker, where every worker already connects, whatever
 * runs it (a process, a container, another machine), and hands them out from an offset. Reading one back checks
 * each chunk's place and, at the end, the size and SHA-256 the index gives; anything else makes it unusable.
 */

/** The snapshot cannot be used: missing (dropped by retention), incomplete or corrupt. Trying an older one may help. */
export class SnapshotUnusableError extends Error {}

interface ChunkHeaders {
  snapshot: string;
  part: number;
  parts: number;
}

function chunkHeaders(msg: ConsumeMessage): ChunkHeaders | undefined {
  const h = msg.properties.headers ?? {};
  const snapshot = h['snapshot'];
  const part = Number(h['part']);
  const parts = Number(h['parts']);
  if (typeof snapshot !== 'string' || !Number.isInteger(part) || !Number.isInteger(parts)) return undefined;
  return { snapshot, part, parts };
}

/** What the chunks of one snapshot add up to, as they arrive in stream order. */
class ChunkCollector {
  private readonly hash = createHash('sha256');
  private next = 0;
  bytes = 0;
  firstOffset: number | undefined;

  constructor(
    private readonly id: string,
    private readonly parts: number,
    private readonly onChunk: (body: Buffer) => void,
    /** Reading from the snapshot's own offset: the very first message must be its first chunk. */
    private readonly strictStart = false,
  ) {}

  /** Takes a message if it is one of ours; returns true once the last chunk is in. Throws on a chunk out of place. */
  take(msg: ConsumeMessage): boolean {
    const h = chunkHeaders(msg);
    if (!h || h.snapshot !== this.id) {
      if (this.strictStart && this.next === 0) throw new SnapshotUnusableError(`snapshot ${this.id}: not at its offset in ${SNAPSHOT_QUEUE} (dropped by retention?)`);
      // Another snapshot's chunk (an earlier taker's that died half-way): only before our first chunk is that normal.
      if (this.next > 0) throw new SnapshotUnusableError(`snapshot ${this.id}: a foreign message among its chunks`);
      return false;
    }
    if (h.part !== this.next || h.parts !== this.parts) {
      throw new SnapshotUnusableError(`snapshot ${this.id}: chunk ${h.part}/${h.parts} where ${this.next}/${this.parts} was expected (missing or truncated)`);
    }
    if (this.next === 0) this.firstOffset = Number(msg.properties.headers?.['x-stream-offset']);
    this.next++;
    this.bytes += msg.content.length;
    this.hash.update(msg.content);
    this.onChunk(msg.content);
    return this.next === this.parts;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Consumes snapshotQ from `offset` ('next': only what is published from now on) into `collector`, until it has the
 * whole snapshot. Rejects when no chunk of it comes for `idleMs`.
 */
async function collect(connection: ChannelModel, offset: number | 'next', collector: ChunkCollector, idleMs: number, attached?: () => Promise<void>): Promise<void> {
  const channel = await connection.createChannel();
  let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Settled while the publish is still awaited (an idle timeout, a foreign chunk): handled here, awaited below.
  done.catch(() => undefined);
  // A channel the broker closes (a missing queue, a frame too large) emits `error`: unheard, it would end the process.
  channel.on('error', (err: Error) => settle?.reject(new SnapshotUnusableError(`${SNAPSHOT_QUEUE}: ${err.message}`)));
  let timer: NodeJS.Timeout | undefined;
  try {
    // Two chunks in flight: a snapshot streams through at disk speed without megabytes of chunks waiting in memory.
    await channel.prefetch(2);
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => settle?.reject(new SnapshotUnusableError(`no chunk of the snapshot for ${idleMs} ms (gone from ${SNAPSHOT_QUEUE}, or never written whole)`)), idleMs);
    };
    idle();
    let finished = false;
    await channel.consume(
      SNAPSHOT_QUEUE,
      (msg) => {
        if (!msg) return settle?.reject(new SnapshotUnusableError(`the broker cancelled the consumer of ${SNAPSHOT_QUEUE}`));
        channel.ack(msg);
        if (finished) return;
        try {
          const took = collector.take(msg);
          if (collector.firstOffset !== undefined) idle();
          if (took) {
            finished = true;
            settle?.resolve();
          }
        } catch (err) {
          finished = true;
          settle?.reject(err as Error);
        }
      },
      { noAck: false, arguments: { 'x-stream-offset': offset } },
    );
    // Whichever ends first: a publish that fails, or the read-back (which a failed publish never completes).
    await (attached ? Promise.race([done, attached().then(() => done)]) : done);
  } finally {
    clearTimeout(timer);
    await channel.close().catch(() => undefined);
  }
}

/** Reads a file in pieces of `chunkBytes`, without holding more than one in memory. */
function* fileChunks(file: string, chunkBytes: number): Generator<Buffer> {
  const fd = fs.openSync(file, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkBytes);
      const n = fs.readSync(fd, buf, 0, chunkBytes, null);
      if (n === 0) return;
      yield n === chunkBytes ? buf : buf.subarray(0, n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export interface WrittenSnapshot {
  streamOffset: number;
  chunks: number;
  bytes: number;
  sha256: string;
}

/**
 * Appends `file` to snapshotQ as snapshot `id` and reads it back: resolves with where it starts and what it holds
 * only once every chunk came back in order with the file's size and SHA-256, so the index lists verified snapshots.
 */
export async function writeSnapshot(connection: ChannelModel, file: string, id: string, chunkBytes: number, idleMs: number): Promise<WrittenSnapshot> {
  const size = fs.statSync(file).size;
  if (size === 0) throw new Error(`snapshot ${id}: the file is empty`);
  const parts = Math.ceil(size / chunkBytes);
  const fileHash = createHash('sha256');
  const readBack = new ChunkCollector(id, parts, () => undefined);
  const publish = async () => {
    const channel = await connection.createConfirmChannel();
    let closedBy: Error | undefined;
    channel.on('error', (err: Error) => (closedBy = err));
    const returned: string[] = [];
    channel.on('return', () => returned.push(id));
    try {
      let part = 0;
      for (const body of fileChunks(file, chunkBytes)) {
        fileHash.update(body);
        channel.sendToQueue(SNAPSHOT_QUEUE, body, { persistent: true, mandatory: true, headers: { snapshot: id, part, parts } });
        part++;
        // A few chunks in flight at most: the file is never all in memory.
        if (part % 8 === 0) await channel.waitForConfirms();
      }
      await channel.waitForConfirms();
      if (closedBy) throw closedBy;
      if (returned.length > 0) throw new Error(`snapshot ${id}: ${SNAPSHOT_QUEUE} does not exist (the broker returned the chunks)`);
    } finally {
      await channel.close().catch(() => undefined);
    }
  };
  await collect(connection, 'next', readBack, idleMs, publish);
  const sha256 = fileHash.digest('hex');
  if (readBack.bytes !== size || readBack.digest() !== sha256) throw new SnapshotUnusableError(`snapshot ${id}: what came back from ${SNAPSHOT_QUEUE} differs from the file`);
  return { streamOffset: readBack.firstOffset!, chunks: parts, bytes: size, sha256 };
}

/** Reads snapshot `info` from snapshotQ into `dest`; throws SnapshotUnusableError unless it is whole and its checksum matches. */
export async function readSnapshot(connection: ChannelModel, info: SnapshotInfo, dest: string, idleMs: number, onProgress?: (bytes: number) => void): Promise<void> {
  const fd = fs.openSync(dest, 'w', 0o600);
  let written = 0;
  try {
    const collector = new ChunkCollector(info.id, info.chunks, (body) => {
      fs.writeSync(fd, body);
      written += body.length;
      onProgress?.(written);
    }, true);
    await collect(connection, info.streamOffset, collector, idleMs);
    if (collector.firstOffset !== info.streamOffset) throw new SnapshotUnusableError(`snapshot ${info.id}: its first chunk is not at offset ${info.streamOffset}`);
    const sha = collector.digest();
    if (collector.bytes !== info.bytes || sha !== info.sha256) {
      throw new SnapshotUnusableError(`snapshot ${info.id}: ${collector.bytes} bytes with SHA-256 ${sha.slice(0, 12)}…, the index says ${info.bytes} bytes, ${info.sha256.slice(0, 12)}…`);
    }
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
  } finally {
    fs.closeSync(fd);
  }
}
