import type { EpochMs } from '@lineage/domain';

/**
 * RFC 3339 date-times (section 5.6): `2024-05-01T09:30:00Z`, `2024-05-01T11:30:00.250+02:00`.
 * One parser serves as the ajv `date-time` format and as the conversion to epoch ms, so what
 * validates always converts. `T` may be lower case or a space, `Z` lower case (RFC 3339 5.6 note);
 * fractions keep millisecond precision; a leap second (`:60`) counts as the first millisecond of
 * the next minute, as JavaScript has none. Parsed by character codes: it runs twice per event.
 */
export function parseRfc3339(value: string): EpochMs | null {
  const length = value.length;
  // `YYYY-MM-DDTHH:MM:SSZ` is the shortest; nine fraction digits and an offset the longest.
  if (length < 20 || length > 35) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  if (value[4] !== '-' || value[7] !== '-' || value[13] !== ':' || value[16] !== ':') return null;
  const separator = value[10];
  if (separator !== 'T' && separator !== 't' && separator !== ' ') return null;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;

  let i = 19;
  let millis = 0;
  if (value[i] === '.') {
    const start = ++i;
    while (i < length && isDigit(value.charCodeAt(i))) i++;
    const count = i - start;
    if (count === 0 || count > 9) return null;
    millis = count >= 3 ? digits(value, start, 3) : digits(value, start, count) * (count === 2 ? 10 : 100);
  }

  let offset = 0;
  const zone = value[i];
  if (zone === 'Z' || zone === 'z') {
    if (i + 1 !== length) return null;
  } else if (zone === '+' || zone === '-') {
    if (i + 6 !== length || value[i + 3] !== ':') return null;
    const offsetHours = digits(value, i + 1, 2);
    const offsetMinutes = digits(value, i + 4, 2);
    if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 23 || offsetMinutes > 59) return null;
    offset = (zone === '+' ? 1 : -1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  } else {
    return null;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis) + (second === 60 ? 1000 : 0);
  return ms - offset;
}

export function isRfc3339(value: string): boolean {
  return parseRfc3339(value) !== null;
}

/** For values that passed validation: the schema guarantees the format, so a failure is a bug. */
export function toEpochMs(value: string): EpochMs {
  const ms = parseRfc3339(value);
  if (ms === null) throw new Error('toEpochMs called with a value that is not an RFC 3339 date-time');
  return ms;
}

/** The number `count` decimal digits at `start` spell, or -1 when one of them is not a digit. */
function digits(value: string, start: number, count: number): number {
  let result = 0;
  for (let i = start; i < start + count; i++) {
    const code = value.charCodeAt(i);
    if (!isDigit(code)) return -1;
    result = result * 10 + (code - 48);
  }
  return result;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
