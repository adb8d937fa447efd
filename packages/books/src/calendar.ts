// Calendar arithmetic on ISO dates. Instants are judged on the local date they carry
// (`2026-11-02T18:00:00+08:00` is 2 November), which is the date the bank's staff see.
import { fromEpochDay, toEpochDay } from '@kequn/core';

export function localDate(instant: string): string {
  return instant.slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days);
}

export function daysBetween(from: string, to: string): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** Epoch day 0 (1970-01-01) was a Thursday. */
function isWeekend(date: string): boolean {
  const weekday = (((toEpochDay(date) + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}

/** The date `count` business days after `date`: weekends and the given holidays do not count. */
export function addBusinessDays(date: string, count: number, holidays: readonly string[]): string {
  const closed = new Set(holidays);
  let day = date;
  let remaining = count;
  while (remaining > 0) {
    day = addDays(day, 1);
    if (!isWeekend(day) && !closed.has(day)) remaining -= 1;
  }
  return day;
}
