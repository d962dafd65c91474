/*
 * Ride timestamps as the RideShare API has always written them: DD-MM-YYYY:SS-MM-HH, that is
 * day-month-year:seconds-minutes-hours, in UTC. A timestamp must name a real moment: 31-02-2030 or an hour 24 is
 * refused with the reason.
 */

export type TimestampResult = { ok: true; epochMs: number } | { ok: false; reason: string };

const FORMAT = /^(\d{2})-(\d{2})-(\d{4}):(\d{2})-(\d{2})-(\d{2})$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function parseRideTimestamp(text: string): TimestampResult {
  const m = FORMAT.exec(text);
  if (!m) return { ok: false, reason: `'${text}' is not of the form DD-MM-YYYY:SS-MM-HH (day-month-year:seconds-minutes-hours)` };
  const [day, month, year, seconds, minutes, hours] = m.slice(1).map(Number);
  if (year < 1) return { ok: false, reason: `year ${m[3]} does not exist` };
  if (month < 1 || month > 12) return { ok: false, reason: `month ${m[2]} does not exist` };
  const days = daysInMonth(year, month);
  if (day < 1 || day > days) return { ok: false, reason: `${text} is not a real date: ${MONTHS[month - 1]} ${year} has ${days} days` };
  if (hours > 23) return { ok: false, reason: `hour ${m[6]} does not exist (00 to 23)` };
  if (minutes > 59) return { ok: false, reason: `minute ${m[5]} does not exist (00 to 59)` };
  if (seconds > 59) return { ok: false, reason: `second ${m[4]} does not exist (00 to 59)` };
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes, seconds, 0);
  return { ok: true, epochMs: date.getTime() };
}

/** The API's form of an instant (UTC), e.g. for rides created relative to now. */
export function formatRideTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}-${two(d.getUTCMonth() + 1)}-${String(d.getUTCFullYear()).padStart(4, '0')}:${two(d.getUTCSeconds())}-${two(d.getUTCMinutes())}-${two(d.getUTCHours())}`;
}
