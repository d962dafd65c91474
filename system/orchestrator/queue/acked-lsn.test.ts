import { AckedLsn } from './acked-lsn';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test('an LSN up to the highest seen is admitted without asking; beyond it, after asking', async () => {
  const ask = jest.fn(async () => 7);
  const acked = new AckedLsn(ask);
  acked.observe(5);
  acked.observe(3);
  expect(await acked.admits(5)).toBe(true);
  expect(await acked.admits(0)).toBe(true);
  expect(ask).not.toHaveBeenCalled();
  expect(await acked.admits(6)).toBe(true); // acknowledged elsewhere: the master knows it
  expect(await acked.admits(8)).toBe(false);
  expect(ask).toHaveBeenCalledTimes(2);
  expect(acked.highest).toBe(7);
});

test('a failing question refuses what is beyond the known LSN and changes nothing', async () => {
  const acked = new AckedLsn(async () => Promise.reject(new Error('no master')));
  acked.observe(2);
  expect(await acked.admits(3)).toBe(false);
  expect(acked.highest).toBe(2);
});

test('many reads beyond the known LSN ask one question at a time, and each waits for one asked after it came', async () => {
  const answers = [deferred<number>(), deferred<number>()];
  let calls = 0;
  const acked = new AckedLsn(() => answers[calls++].promise);
  const first = acked.admits(10);
  // These arrive while the first question runs: its answer may predate their writes, so they wait for the next one.
  const later = Array.from({ length: 50 }, () => acked.admits(12));
  expect(calls).toBe(1);
  answers[0].resolve(10);
  expect(await first).toBe(true);
  await Promise.resolve();
  expect(calls).toBe(2);
  answers[1].resolve(12);
  expect(await Promise.all(later)).toEqual(Array(50).fill(true));
  expect(calls).toBe(2);
});
