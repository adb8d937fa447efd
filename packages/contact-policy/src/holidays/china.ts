// China's official public-holiday schedules, as published by the General Office of the State
// Council (国务院办公厅). Add a year here when the notice for it is published each November.
import type { LocalizedText } from '@kequn/core';
import { indexCalendar, type HolidayCalendar, type HolidayYear } from './calendar.js';

/**
 * 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04 (Xinhua). Holidays are the announced
 * days off including the weekends inside them; make-up workdays are the announced 上班 days.
 */
export const chinaPublicHolidays2026: HolidayYear = {
  year: 2026,
  source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04)',
  holidays: [
    {
      key: 'new_year',
      name: { 'zh-CN': '元旦', en: "New Year's Day" },
      from: '2026-01-01',
      to: '2026-01-03',
    },
    {
      key: 'spring_festival',
      name: { 'zh-CN': '春节', en: 'Spring Festival' },
      from: '2026-02-15',
      to: '2026-02-23',
    },
    {
      key: 'qingming',
      name: { 'zh-CN': '清明节', en: 'Qingming Festival' },
      from: '2026-04-04',
      to: '2026-04-06',
    },
    {
      key: 'labour_day',
      name: { 'zh-CN': '劳动节', en: 'Labour Day' },
      from: '2026-05-01',
      to: '2026-05-05',
    },
    {
      key: 'dragon_boat',
      name: { 'zh-CN': '端午节', en: 'Dragon Boat Festival' },
      from: '2026-06-19',
      to: '2026-06-21',
    },
    {
      key: 'mid_autumn',
      name: { 'zh-CN': '中秋节', en: 'Mid-Autumn Festival' },
      from: '2026-09-25',
      to: '2026-09-27',
    },
    {
      key: 'national_day',
      name: { 'zh-CN': '国庆节', en: 'National Day' },
      from: '2026-10-01',
      to: '2026-10-07',
    },
  ],
  makeUpWorkdays: [
    { date: '2026-01-04', holiday: 'new_year' },
    { date: '2026-02-14', holiday: 'spring_festival' },
    { date: '2026-02-28', holiday: 'spring_festival' },
    { date: '2026-05-09', holiday: 'labour_day' },
    { date: '2026-09-20', holiday: 'national_day' },
    { date: '2026-10-10', holiday: 'national_day' },
  ],
};

/** Every year shipped with the SDK; spread it and append your own years to extend it. */
export const chinaPublicHolidays: readonly HolidayYear[] = [chinaPublicHolidays2026];

/** The shipped calendar, used by `isWorkday` and `holidayName` when no calendar is given. */
export const chinaHolidayCalendar: HolidayCalendar = indexCalendar(chinaPublicHolidays);

/** Whether `date` (YYYY-MM-DD) is a working day: make-up Saturdays and Sundays count as workdays. */
export function isWorkday(date: string, calendar: HolidayCalendar = chinaHolidayCalendar): boolean {
  return calendar.isWorkday(date);
}

/** The public holiday `date` belongs to, in both locales, or undefined on an ordinary day. */
export function holidayName(
  date: string,
  calendar: HolidayCalendar = chinaHolidayCalendar,
): LocalizedText | undefined {
  return calendar.holidayName(date);
}
