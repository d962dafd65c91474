import { AREAS_FILE, areaNumber, loadAreas, parseAreasCsv } from './areas';

test('the project carries the 198 areas, numbered 1 to 198', () => {
  const areas = loadAreas();
  expect(AREAS_FILE).toMatch(/system\/rideshare\/data\/AreaNameEnum\.csv$/);
  expect(areas.size).toBe(198);
  for (let n = 1; n <= 198; n++) expect(areas.has(n)).toBe(true);
  expect(areas.has(0)).toBe(false);
  expect(areas.has(199)).toBe(false);
  expect(areas.name(1)).toBe('Kempegowda Ward');
  expect(areas.name(198)).toBe('Hemmigepura');
  expect(areas.describe()).toBe('1 to 198');
});

test('an area is given as an integer or a string of digits', () => {
  expect(areaNumber(7)).toBe(7);
  expect(areaNumber('7')).toBe(7);
  expect(areaNumber(' 198 ')).toBe(198);
  for (const bad of [1.5, '1.5', '-1', 'one', '', '7a', '0x10', null, undefined, true, [1], { n: 1 }, Number.NaN, 1e300]) {
    expect(areaNumber(bad)).toBeUndefined();
  }
});

test('a CSV with a wrong header, a bad line or a duplicate is refused with where', () => {
  expect(parseAreasCsv('Area No,Area Name\r\n1,A\r\n2,B\r\n').size).toBe(2);
  expect(parseAreasCsv('\uFEFFArea No,Area Name\n1,A').name(1)).toBe('A');
  expect(() => parseAreasCsv('No,Name\n1,A')).toThrow(/line 1 must be the header/);
  expect(() => parseAreasCsv('Area No,Area Name\n1,A\nx,B')).toThrow(/line 3: expected "<number>,<name>"/);
  expect(() => parseAreasCsv('Area No,Area Name\n1,A\n1,B')).toThrow(/line 3: area 1 appears twice/);
  expect(() => parseAreasCsv('Area No,Area Name\n0,Zero')).toThrow(/not a positive integer/);
  expect(() => parseAreasCsv('Area No,Area Name\n')).toThrow(/no areas/);
});

test('a gap in the numbers is described as a list', () => {
  expect(parseAreasCsv('Area No,Area Name\n1,A\n3,C').describe()).toBe('1, 3');
});
