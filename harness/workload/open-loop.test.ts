import { openLoop } from './open-loop';

test('an open loop sends every request on schedule and skips those beyond the in-flight bound', async () => {
  const release: Array<(ok: boolean) => void> = [];
  const sent: number[] = [];
  const run = openLoop(100000, 5, 2, (i) => {
    sent.push(i);
    return new Promise<boolean>((resolve) => release.push(resolve));
  });
  // Nothing answers until all five are due: two are in flight, the other three are skipped, not queued.
  await new Promise((r) => setTimeout(r, 20));
  expect(sent).toEqual([0, 1]);
  release[0](true);
  release[1](false);
  const r = await run;
  expect(r).toMatchObject({ ok: 1, failed: 1, skipped: 3 });
  expect(r.latencies).toHaveLength(1);
});

test('a request that throws counts as failed', async () => {
  const r = await openLoop(100000, 3, 10, async (i) => {
    if (i === 1) throw new Error('boom');
    return true;
  });
  expect(r).toMatchObject({ ok: 2, failed: 1, skipped: 0 });
});

test('each request is reported with its scheduled start, its send and its end; skipped ones too', async () => {
  const samples: Array<{ i: number; due: number; sentAt: number; endedAt: number; ok: boolean; skipped: boolean }> = [];
  const release: Array<() => void> = [];
  const run = openLoop(
    100000,
    3,
    1,
    (i) =>
      new Promise((resolve) => {
        const sentAt = performance.now() + 5;
        release.push(() => resolve({ ok: i === 0, sentAt, status: i === 0 ? 200 : 503 }));
      }),
    (s) => samples.push(s),
  );
  await new Promise((r) => setTimeout(r, 20));
  release[0]();
  await run;
  const byI = new Map(samples.map((s) => [s.i, s]));
  expect(byI.get(0)).toMatchObject({ ok: true, skipped: false, status: 200 });
  // The closed-loop start is the one send() reported, after the scheduled one.
  expect(byI.get(0)!.sentAt).toBeGreaterThan(byI.get(0)!.due);
  expect(byI.get(0)!.endedAt).toBeGreaterThanOrEqual(byI.get(0)!.sentAt - 5);
  // One in flight at most: the other two were due while it waited, so they were skipped, not queued.
  expect([byI.get(1)?.skipped, byI.get(2)?.skipped]).toEqual([true, true]);
});

test('an aborted signal ends the schedule early', async () => {
  const ac = new AbortController();
  let sent = 0;
  const r = await openLoop(1000, 1000, 10, async () => {
    if (++sent === 5) ac.abort();
    return true;
  }, undefined, ac.signal);
  expect(r.ok).toBe(5);
});
