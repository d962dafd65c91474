import { wantedSlaves } from './scaling-rule';

test.each([
  [0, 1],
  [1, 1],
  [20, 1],
  [21, 2],
  [40, 2],
  [41, 3],
  [60, 3],
  [61, 4],
  [65, 4],
  [1000, 8],
])('%i reads -> %i slaves (20 per slave, at most 8)', (reads, slaves) => {
  expect(wantedSlaves(reads, 20, 8)).toBe(slaves);
});

test('another reads-per-slave setting moves the steps', () => {
  expect(wantedSlaves(10, 5, 8)).toBe(2);
  expect(wantedSlaves(11, 5, 8)).toBe(3);
});
