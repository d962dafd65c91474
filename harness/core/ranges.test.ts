import { decodeRanges, encodeRanges } from './ranges';

test('runs of consecutive numbers become ranges, in order, without duplicates', () => {
  expect(encodeRanges([5, 0, 1, 2, 3, 7, 9, 8, 2])).toBe('0-3,5,7-9');
  expect(encodeRanges([])).toBe('');
  expect(encodeRanges([4])).toBe('4');
});

test('decoding gives back the same set', () => {
  const set = [0, 1, 2, 10, 12, 13, 40];
  expect([...decodeRanges(encodeRanges(set))]).toEqual(set);
  expect(decodeRanges('').size).toBe(0);
});

test('a malformed list is refused rather than read as something else', () => {
  expect(() => decodeRanges('1-2,x')).toThrow(/not a range list/);
});
