import { WriteKeys } from './write-keys';

test('write numbers count every write of the run, whatever the client', () => {
  const keys = new WriteKeys('rabc');
  expect([keys.take(0), keys.take(3), keys.take(0)]).toEqual([
    { seq: 0, key: 'rabc-0-0' },
    { seq: 1, key: 'rabc-3-1' },
    { seq: 2, key: 'rabc-0-2' },
  ]);
});

test('a key maps back to its write number; keys of other runs or shapes map to nothing', () => {
  const keys = new WriteKeys('rabc');
  expect(keys.seqOf('rabc-3-17')).toBe(17);
  expect(keys.seqOf('rabd-3-17')).toBeUndefined();
  expect(keys.seqOf('rabc-17')).toBeUndefined();
  expect(keys.seqOf('26-01-2099:00-30-10')).toBeUndefined();
  expect(keys.seqOf(42)).toBeUndefined();
});
