import { mergeValidity, validityWord } from './checker';

test('one violation decides; otherwise one undecided checker leaves the run undecided', () => {
  expect(mergeValidity([true, true])).toBe(true);
  expect(mergeValidity([true, 'unknown'])).toBe('unknown');
  expect(mergeValidity(['unknown', false, true])).toBe(false);
});

test('a run that judged nothing proved nothing', () => {
  expect(mergeValidity([])).toBe(false);
});

test('the tables print PASS, FAIL or UNKNOWN', () => {
  expect([true, false, 'unknown'].map((v) => validityWord(v as true | false | 'unknown'))).toEqual(['PASS', 'FAIL', 'UNKNOWN']);
});
