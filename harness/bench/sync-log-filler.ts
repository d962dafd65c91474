import amqp from 'amqplib';
import { waitUntil } from '../../system/common/time/wait-until';
import type { HttpClient } from '../testing/http-client';
import { workers } from '../testing/topology';
import { QUEUES, syncRecordSchema, type SyncRecord } from '../../system/common/protocol/messages';
import { BENCH_USER } from './workload';

/** Where the filled records continue the master's sequence: its LSN, epoch and PID when the fill starts. */
export interface LogPosition {
  lsn: number;
  epoch: number;
  master: number;
}

/** The record a master writes for a committed ride insert: the op carries the key the master assigned. */
export function rideRecord(pos: LogPosition, lsn: number): SyncRecord {
  return {
    lsn,
    epoch: pos.epoch,
    writeId: `bench-fill-${pos.epoch}-${lsn}`,
    master: pos.master,
    op: {
      op: 'insert',
      table: 'rides',
      values: {
        ride_id: 1_000_000 + lsn,
        created_by: BENCH_USER,
        timestamp: `fill-${lsn}`,
        starts_at: 4102444800000 + lsn,
        source: 1 + (lsn % 198),
        destination: 1 + ((lsn + 1) % 198),
      },
    },
  };
}

/*
 * Appends records to syncQ exactly as a master does (JSON body, persistent, publisher confirms), for LSNs
 * from..to inclusive. Used to build a long log quickly: 100,000 writes through the HTTP API would take minutes.
 */
export async function fillSyncLog(rabbitmqUrl: string, pos: LogPosition, from: number, to: number, onProgress?: (lsn: number) => void): Promise<void> {
  const first = syncRecordSchema.safeParse(rideRecord(pos, from));
  if (!first.success) throw new Error(`the fill record does not match the protocol: ${first.error.message}`);
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createConfirmChannel();
    const BATCH = 1000;
    for (let lsn = from; lsn <= to; ) {
      const end = Math.min(to, lsn + BATCH - 1);
      for (; lsn <= end; lsn++) {
        channel.sendToQueue(QUEUES.sync, Buffer.from(JSON.stringify(rideRecord(pos, lsn))), { persistent: true, contentType: 'application/json' });
      }
      await channel.waitForConfirms();
      onProgress?.(end);
    }
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * After a fill in the live master's name: that master stops on records it did not write, a slave that applied them
 * takes over, and a replacement slave catches up. Resolves once a new master and a slave at `tail` are ready.
 */
export async function waitForTakeoverAtTail(http: HttpClient, formerMasterPid: number, tail: number, timeoutMs: number, everyMs: number): Promise<void> {
  await waitUntil(
    `a new master and a slave at LSN ${tail}`,
    async () => {
      const now = await workers(http);
      const m = now.find((w) => w.role === 'master' && w.state === 'ready');
      return !!m && m.pid !== formerMasterPid && now.some((w) => w.role === 'slave' && w.state === 'ready' && (w.appliedLsn ?? 0) >= tail);
    },
    timeoutMs,
    everyMs,
  );
}
