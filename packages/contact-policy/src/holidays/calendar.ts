// Public holidays and swapped working days (调休). China publishes each year's schedule in
// November, so years are data a bank adds, never code.
import { isoDate, localizedTextSchema, toEpochDay, type LocalizedText } from '@kequn/core';
import { z } from 'zod';
import { HolidayCalendarError, describeIssues } from '../errors.js';

export const publicHolidaySchema = z
  .object({
    /** Stable key, e.g. `national_day`; make-up workdays point at it. */
    key: z.string().min(1),
    name: localizedTextSchema,
    /** First and last day off, inclusive. */
    from: isoDate,
    to: isoDate,
  })
  .refine((holiday) => holiday.from <= holiday.to, {
    message: 'the last day off must not come before the first',
    path: ['to'],
  });
export type PublicHoliday = z.infer<typeof publicHolidaySchema>;

export const makeUpWorkdaySchema = z.object({
  /** A Saturday or Sunday that is worked (调休上班). */
  date: isoDate,
  /** Key of the holiday it makes up for. */
  holiday: z.string().min(1),
});
export type MakeUpWorkday = z.infer<typeof makeUpWorkdaySchema>;

export const holidayYearSchema = z
  .object({
    year: z.number().int().min(1970).max(9999),
    holidays: z.array(publicHolidaySchema),
    makeUpWorkdays: z.array(makeUpWorkdaySchema).default([]),
    /** Where the schedule comes from, e.g. the State Council notice. */
    source: z.string().optional(),
  })
  .superRefine((year, context) => {
    const keys = new Set(year.holidays.map((holiday) => holiday.key));
    year.holidays.forEach((holiday, index) => {
      if (!holiday.from.startsWith(`${year.year}-`)) {
        context.addIssue({
          code: 'custom',
          message: `starts outside ${year.year}; list it under the year it starts in`,
          path: ['holidays', index, 'from'],
        });
      }
    });
    year.makeUpWorkdays.forEach((workday, index) => {
      if (!keys.has(workday.holiday)) {
        context.addIssue({
          code: 'custom',
          message: `names holiday "${workday.holiday}", which is not among this year's holidays (${[...keys].join(', ')})`,
          path: ['makeUpWorkdays', index, 'holiday'],
        });
      }
      const clash = year.holidays.find(
        (holiday) => holiday.from <= workday.date && workday.date <= holiday.to,
      );
      if (clash !== undefined) {
        context.addIssue({
          code: 'custom',
          message: `${workday.date} is inside the holiday "${clash.key}" and cannot also be a workday`,
          path: ['makeUpWorkdays', index, 'date'],
        });
      }
    });
  });
export type HolidayYear = z.infer<typeof holidayYearSchema>;
export type HolidayYearInput = z.input<typeof holidayYearSchema>;

export const holidayYearsSchema = z.array(holidayYearSchema).superRefine((years, context) => {
  const seen = new Map<string, string>();
  years.forEach((year, yearIndex) => {
    year.holidays.forEach((holiday, holidayIndex) => {
      for (let day = toEpochDay(holiday.from); day <= toEpochDay(holiday.to); day += 1) {
        const owner = seen.get(String(day));
        if (owner !== undefined) {
          context.addIssue({
            code: 'custom',
            message: `overlaps the holiday "${owner}"; each day may belong to one holiday only`,
            path: [yearIndex, 'holidays', holidayIndex],
          });
          return;
        }
        seen.set(String(day), `${year.year} ${holiday.key}`);
      }
    });
  });
  const numbers = years.map((year) => year.year);
  numbers.forEach((year, index) => {
    if (numbers.indexOf(year) !== index) {
      context.addIssue({
        code: 'custom',
        message: `${year} is listed twice; give each year once`,
        path: [index, 'year'],
      });
    }
  });
});

export interface HolidayCalendar {
  /** The years whose official schedule is configured; other years fall back to Monday–Friday. */
  readonly years: readonly number[];
  covers(year: number): boolean;
  /** A workday is Monday–Friday outside public holidays, plus every make-up workday. */
  isWorkday(date: string): boolean;
  /** The public holiday the date belongs to, if any. */
  holidayOn(date: string): PublicHoliday | undefined;
  holidayName(date: string): LocalizedText | undefined;
  isMakeUpWorkday(date: string): boolean;
}

/** Validates the years and indexes them by day. Throws HolidayCalendarError naming the field. */
export function createHolidayCalendar(years: readonly HolidayYearInput[]): HolidayCalendar {
  const parsed = holidayYearsSchema.safeParse(years);
  if (!parsed.success) throw new HolidayCalendarError(describeIssues(parsed.error.issues));
  return indexCalendar(parsed.data);
}

/** Builds the day index of years that have already been validated. */
export function indexCalendar(years: readonly HolidayYear[]): HolidayCalendar {
  const holidayByDay = new Map<number, PublicHoliday>();
  const makeUpDays = new Set<number>();
  for (const year of years) {
    for (const holiday of year.holidays) {
      for (let day = toEpochDay(holiday.from); day <= toEpochDay(holiday.to); day += 1) {
        holidayByDay.set(day, holiday);
      }
    }
    for (const workday of year.makeUpWorkdays) makeUpDays.add(toEpochDay(workday.date));
  }
  const configured = years.map((year) => year.year).sort((a, b) => a - b);

  return {
    years: configured,
    covers: (year) => configured.includes(year),
    holidayOn: (date) => holidayByDay.get(toEpochDay(date)),
    holidayName: (date) => holidayByDay.get(toEpochDay(date))?.name,
    isMakeUpWorkday: (date) => makeUpDays.has(toEpochDay(date)),
    isWorkday: (date) => {
      const day = toEpochDay(date);
      if (holidayByDay.has(day)) return false;
      if (makeUpDays.has(day)) return true;
      return !isWeekendDay(day);
    },
  };
}

/** Epoch day 0 (1970-01-01) was a Thursday. */
export function isWeekendDay(epochDay: number): boolean {
  const weekday = (((epochDay + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}
