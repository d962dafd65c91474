import pino from 'pino';
import { storedBytes } from './log-bytes';
import { LogBudget, LogFullError, logLimitBytes } from './log-budget';

const log = pino({ level: 'silent' });

test('the limit is retention less three segments', () => {
  expect(logLimitBytes(400_000, 50_000)).toBe(250_000);
});

test('writes are admitted while the log since the newest snapshot fits, refused with a 503 once it would not', async () => {
  let covered = 0;
  const budget = new LogBudget({ limitBytes: 10_000, coveredBytes: async () => covered, seenBytes: 2_000, log });
  await budget.start();
  await expect(budget.admit([100, 100])).resolves.toBeUndefined();
  for (let i = 0; i < 8; i++) budget.noteSeen(700);
  expect(budget.usedBytes).toBe(2_000 + 8 * storedBytes(700));
  const refused = budget.admit([100]);
  await expect(refused).rejects.toBeInstanceOf(LogFullError);
  await expect(budget.admit([100])).rejects.toMatchObject({ status: 503, retryable: true });
});

test('a newer snapshot makes room again (the index is read again before refusing)', async () => {
  let covered = 0;
  let asked = 0;
  const budget = new LogBudget({
    limitBytes: 5_000,
    coveredBytes: async () => {
      asked++;
      return covered;
    },
    seenBytes: 4_900,
    log,
  });
  await budget.start();
  covered = 4_000;
  await new Promise((r) => setTimeout(r, 1010));
  await expect(budget.admit([200])).resolves.toBeUndefined();
  expect(asked).toBe(2);
  expect(budget.usedBytes).toBe(900);
});

test('an unreadable index keeps the budget as it was, never larger', async () => {
  let fail = false;
  const budget = new LogBudget({
    limitBytes: 2_000,
    coveredBytes: async () => {
      if (fail) throw new Error('ZooKeeper is away');
      return 500;
    },
    seenBytes: 1_000,
    log,
  });
  await budget.start();
  fail = true;
  await new Promise((r) => setTimeout(r, 1010));
  await expect(budget.admit([0])).resolves.toBeUndefined();
  await expect(budget.admit([5_000])).rejects.toBeInstanceOf(LogFullError);
});
