import { HistoryRecorder } from '../core/history';
import type { HttpClient, HttpResult } from '../testing/http-client';
import { DbClient, HARNESS_USER, READ_WINDOW } from './db-client';
import { WriteKeys } from './write-keys';

/** An HttpClient that answers from a script and remembers the bodies it was sent. */
function scripted(answers: HttpResult[]): { http: HttpClient; sent: unknown[] } {
  const sent: unknown[] = [];
  const http = { post: async (_path: string, body: unknown) => (sent.push(body), answers.shift()!) } as unknown as HttpClient;
  return { http, sent };
}

test('a read records which writes of the run its rows held, and a session read carries the highest LSN seen', async () => {
  const keys = new WriteKeys('rx');
  const { http, sent } = scripted([
    { status: 200, body: { rows: [{ timestamp: 'rx-0-0' }, { timestamp: 'other' }, { timestamp: 'rx-1-2' }, { timestamp: 'rx-0-1' }], lsn: 7, worker: 11 } },
    { status: 201, body: { lsn: 9, worker: 10, changes: 1 } },
    { status: 200, body: { rows: [], lsn: 9, worker: 12 } },
    { status: 504, body: { error: { message: 'behind' } } },
  ]);
  const recorder = new HistoryRecorder();
  const client = new DbClient(http, recorder, 0);
  const first = await client.readWrites(keys, true);
  const { seq, key } = keys.take(0);
  const write = await client.write(key, seq);
  const session = await client.readWrites(keys, true);
  const failed = await client.readWrites(keys, false);

  // No LSN seen yet: the first session read is a plain read.
  expect(first).toMatchObject({ kind: 'read', outcome: 'ok', saw: '0-2', lsn: 7, worker: 11 });
  expect(first.minLsn).toBeUndefined();
  expect(write).toMatchObject({ kind: 'write', key: 'rx-0-0', writeSeq: 0, lsn: 9 });
  expect(session).toMatchObject({ minLsn: 9, saw: '', lsn: 9 });
  expect((sent[2] as { minLsn?: number }).minLsn).toBe(9);
  expect(failed).toMatchObject({ outcome: 'failed', status: 504 });
  expect(failed.saw).toBeUndefined();
  expect((sent[3] as { minLsn?: number }).minLsn).toBeUndefined();
});

test('past READ_WINDOW writes a read asks for the newest ones only, and the history says where its sight began', async () => {
  const keys = new WriteKeys('rx');
  for (let i = 0; i < READ_WINDOW + 10; i++) keys.take(0);
  const { http, sent } = scripted([{ status: 200, body: { rows: [{ timestamp: 'rx-0-10' }, { timestamp: 'rx-0-409' }], lsn: 410, worker: 11 } }]);
  const read = await new DbClient(http, new HistoryRecorder(), 0).readWrites(keys, false);
  expect(sent[0]).toEqual({ table: 'rides', columns: ['timestamp'], where: { created_by: HARNESS_USER, starts_at: { gte: 10 } } });
  expect(read).toMatchObject({ sawFrom: 10, saw: '10,409' });
});

test('a write carries its write number in starts_at, which the windowed read filters on', async () => {
  const { http, sent } = scripted([{ status: 201, body: { lsn: 1, worker: 10, changes: 1 } }]);
  await new DbClient(http, new HistoryRecorder(), 0).write('rx-0-7', 7);
  expect(sent[0]).toMatchObject({ values: { timestamp: 'rx-0-7', starts_at: 7 } });
});
