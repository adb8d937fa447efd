// Dates as whole numbers, so generating a million customers does not build a million Date objects.
// Days count from 1970-01-01; instants are seconds of China Standard Time (UTC+8, no daylight
// saving), which is the bank's business clock, and print with a fixed +08:00 offset.

export const SECONDS_PER_DAY = 86_400;
const MILLISECONDS_PER_DAY = 86_400_000;
const MILLISECONDS_PER_SECOND = 1_000;
const CHINA_OFFSET = '+08:00';
const CHINA_OFFSET_SECONDS = 8 * 3600;

/** `YYYY-MM-DD` → days since 1970-01-01. */
export function dayOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const day = Number(isoDate.slice(8, 10));
  return Date.UTC(year, month - 1, day) / MILLISECONDS_PER_DAY;
}

/** "00" … "99": formatting builds millions of dates, and Date#toISOString is the slow part. */
const twoDigits = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));

/**
 * Days since 1970-01-01 → proleptic Gregorian [year, month 1–12, day 1–31], by Howard Hinnant's
 * days-to-civil algorithm (integer arithmetic over 400-year eras).
 */
function civilOfDay(day: number): [number, number, number] {
  const shifted = day + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, dayOfMonth];
}

/** Days since 1970-01-01 → `YYYY-MM-DD` (years 1000–9999). */
export function formatDay(day: number): string {
  const [year, month, dayOfMonth] = civilOfDay(day);
  return `${year}-${twoDigits[month]}-${twoDigits[dayOfMonth]}`;
}

/** China-time seconds since 1970-01-01 → `YYYY-MM-DDTHH:mm:ss+08:00`. */
export function formatInstant(chinaSeconds: number): string {
  const day = Math.floor(chinaSeconds / SECONDS_PER_DAY);
  const secondOfDay = chinaSeconds - day * SECONDS_PER_DAY;
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  const second = secondOfDay % 60;
  return `${formatDay(day)}T${twoDigits[hour]}:${twoDigits[minute]}:${twoDigits[second]}${CHINA_OFFSET}`;
}

/** An ISO instant with any offset → China-time seconds since 1970-01-01. */
export function secondOfInstant(isoInstant: string): number {
  return Math.floor(Date.parse(isoInstant) / MILLISECONDS_PER_SECOND) + CHINA_OFFSET_SECONDS;
}

/** Months counted as year × 12 + zero-based month, so consecutive months differ by one. */
export function monthOfDay(day: number): number {
  const [year, month] = civilOfDay(day);
  return year * 12 + month - 1;
}

export function firstDayOfMonth(month: number): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1) / MILLISECONDS_PER_DAY;
}

/** `YYYY-MM` of a month number. */
export function formatMonth(month: number): string {
  return `${Math.floor(month / 12)}-${twoDigits[(month % 12) + 1]}`;
}

/**
 * The date `years` calendar years before `day` (after it, for negative `years`); 29 February
 * falls back to 28 February in common years.
 */
export function yearsBefore(day: number, years: number): number {
  const [year, month, dayOfMonth] = civilOfDay(day);
  const lastDayOfMonth = new Date(Date.UTC(year - years, month, 0)).getUTCDate();
  return (
    Date.UTC(year - years, month - 1, Math.min(dayOfMonth, lastDayOfMonth)) / MILLISECONDS_PER_DAY
  );
}
