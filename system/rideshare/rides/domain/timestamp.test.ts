import { daysInMonth, formatRideTimestamp, parseRideTimestamp } from './timestamp';

const epoch = (text: string) => {
  const r = parseRideTimestamp(text);
  if (!r.ok) throw new Error(r.reason);
  return r.epochMs;
};
const reason = (text: string) => {
  const r = parseRideTimestamp(text);
  if (r.ok) throw new Error(`${text} was accepted`);
  return r.reason;
};

test('DD-MM-YYYY:SS-MM-HH is day-month-year:seconds-minutes-hours in UTC', () => {
  expect(epoch('26-01-2030:05-04-03')).toBe(Date.UTC(2030, 0, 26, 3, 4, 5));
  expect(epoch('01-01-1970:00-00-00')).toBe(0);
  expect(epoch('31-12-2099:59-59-23')).toBe(Date.UTC(2099, 11, 31, 23, 59, 59));
});

test('leap days exist only in leap years', () => {
  expect(epoch('29-02-2028:00-00-00')).toBe(Date.UTC(2028, 1, 29));
  expect(epoch('29-02-2000:00-00-00')).toBe(Date.UTC(2000, 1, 29));
  expect(reason('29-02-2030:00-00-00')).toMatch(/not a real date: February 2030 has 28 days/);
  expect(reason('29-02-2100:00-00-00')).toMatch(/February 2100 has 28 days/);
  expect(daysInMonth(2024, 2)).toBe(29);
  expect(daysInMonth(2030, 4)).toBe(30);
});

test('impossible dates and times are refused with the reason', () => {
  expect(reason('31-02-2030:00-00-00')).toMatch(/31-02-2030:00-00-00 is not a real date/);
  expect(reason('31-04-2030:00-00-00')).toMatch(/April 2030 has 30 days/);
  expect(reason('00-01-2030:00-00-00')).toMatch(/not a real date/);
  expect(reason('01-13-2030:00-00-00')).toMatch(/month 13/);
  expect(reason('01-00-2030:00-00-00')).toMatch(/month 00/);
  expect(reason('01-01-2030:00-00-24')).toMatch(/hour 24/);
  expect(reason('01-01-2030:00-60-00')).toMatch(/minute 60/);
  expect(reason('01-01-2030:60-00-00')).toMatch(/second 60/);
  expect(reason('01-01-0000:00-00-00')).toMatch(/year 0000/);
});

test('anything not of the form is refused', () => {
  for (const bad of ['', '2030-01-01T00:00:00Z', '1-1-2030:0-0-0', '01-01-2030 00-00-00', '01-01-2030:00-00-00 ', 'aa-bb-cccc:dd-ee-ff', '01-01-20300:00-00-00', '１１-01-2030:00-00-00']) {
    expect(reason(bad)).toMatch(/DD-MM-YYYY:SS-MM-HH/);
  }
});

test('years below 100 are not read as 19xx', () => {
  expect(new Date(epoch('01-01-0099:00-00-00')).getUTCFullYear()).toBe(99);
});

test('formatting is the inverse of parsing', () => {
  for (const ms of [0, Date.UTC(2030, 0, 26, 3, 4, 5), Date.UTC(2028, 1, 29, 23, 59, 59)]) expect(epoch(formatRideTimestamp(ms))).toBe(ms);
  expect(formatRideTimestamp(Date.UTC(2030, 0, 26, 3, 4, 5))).toBe('26-01-2030:05-04-03');
});
