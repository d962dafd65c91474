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
