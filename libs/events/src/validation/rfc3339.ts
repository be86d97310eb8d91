import type { EpochMs } from '@lineage/domain';

/**
 * RFC 3339 date-times (section 5.6): `2024-05-01T09:30:00Z`, `2024-05-01T11:30:00.250+02:00`.
 * One parser serves as the ajv `date-time` format and as the conversion to epoch ms, so what
 * validates always converts. `T` may be lower case or a space, `Z` lower case (RFC 3339 5.6 note);
 * a leap second (`:60`) counts as the first millisecond of the next minute, as JavaScript has none.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** Epoch milliseconds of an RFC 3339 date-time, or null when `value` is not one. */
export function parseRfc3339(value: string): EpochMs | null {
  const match = RFC3339.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, sign, offsetHours, offsetMinutes] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  if (sign !== undefined) {
    const oh = Number(offsetHours);
    const om = Number(offsetMinutes);
    if (oh > 23 || om > 59) return null;
    offset = (sign === '+' ? 1 : -1) * (oh * 60 + om) * 60_000;
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

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
