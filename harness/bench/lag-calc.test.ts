import { visibilityLags } from './lag-calc';

test('the lag of a write is the time until the last replica showed it', () => {
  const fast = [
    { at: 0, lsn: 0 },
    { at: 12, lsn: 1 },
    { at: 20, lsn: 3 },
  ];
  const slow = [
    { at: 0, lsn: 0 },
    { at: 30, lsn: 2 },
    { at: 45, lsn: 3 },
  ];
  const acks = [
    { lsn: 1, ackAt: 10 },
    { lsn: 2, ackAt: 15 },
    { lsn: 3, ackAt: 18 },
  ];
  expect(visibilityLags(acks, [fast, slow])).toEqual([20, 15, 27]);
});

test('a write visible before its acknowledgement counts as 0; one never seen is NaN', () => {
  const replica = [{ at: 5, lsn: 1 }];
  expect(visibilityLags([{ lsn: 1, ackAt: 9 }], [replica])).toEqual([0]);
  expect(visibilityLags([{ lsn: 2, ackAt: 9 }], [replica])).toEqual([NaN]);
});
