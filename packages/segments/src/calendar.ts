// Relative dates resolved to epoch-day bounds. The in-memory engine and the SQL compilers both call
// these, so "last 3 months" or "birthday within 7 days" means the same days everywhere.
import { fromEpochDay, toEpochDay } from '@kequn/core';
import type { DayPeriod, Period } from './rule.js';

/** Inclusive epoch-day bounds. */
export interface DayRange {
  readonly from: number;
  readonly to: number;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** The day `months` calendar months after (negative: before) a day, clamped to the month's end. */
export function addMonths(epochDay: number, months: number): number {
  const iso = fromEpochDay(epochDay);
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return toEpochDay(`${String(targetYear).padStart(4, '0')}-${pad(targetMonth)}-${pad(targetDay)}`);
}

function shift(asOfDay: number, period: Period, sign: 1 | -1): number {
  if ('days' in period) return asOfDay + sign * period.days;
  return addMonths(asOfDay, sign * period.months);
}

/** "Within the last period": asOf minus the period … asOf, both inclusive. */
export function lastPeriodBounds(asOfDay: number, period: Period): DayRange {
  return { from: shift(asOfDay, period, -1), to: asOfDay };
}

/** "Within the next period": asOf … asOf plus the period, both inclusive. */
export function nextPeriodBounds(asOfDay: number, period: Period): DayRange {
  return { from: asOfDay, to: shift(asOfDay, period, 1) };
}

/** Month and day packed as month * 32 + day, the key anniversaries are matched on. */
export function monthDayKey(month: number, day: number): number {
  return month * 32 + day;
}

/** The month-day key of an epoch day (civil-from-days, integer only). */
export function monthDayOf(epochDay: number): number {
  const shifted = epochDay + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  return monthDayKey(month, day);
}

/** A month and day on which an anniversary falls. */
export interface MonthDay {
  readonly month: number;
  readonly day: number;
}

/**
 * The month-days whose anniversary falls within asOf … asOf+N. A date on 29 February celebrates on
 * 28 February in common years, so 29 February is listed whenever a common year's 28 February is.
 */
export function anniversaryMonthDays(asOfDay: number, period: DayPeriod): MonthDay[] {
  const found: MonthDay[] = [];
  const seen = new Set<number>();
  const add = (month: number, day: number): void => {
    const key = monthDayKey(month, day);
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ month, day });
  };
  for (let offset = 0; offset <= period.days; offset++) {
    const iso = fromEpochDay(asOfDay + offset);
    const year = Number(iso.slice(0, 4));
    const month = Number(iso.slice(5, 7));
    const day = Number(iso.slice(8, 10));
    add(month, day);
    if (month === 2 && day === 28 && !isLeapYear(year)) add(2, 29);
  }
  return found;
}
