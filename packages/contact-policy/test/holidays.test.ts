import { describe, expect, it } from 'vitest';
import {
  ContactPolicySettingsError,
  HolidayCalendarError,
  chinaPublicHolidays,
  chinaPublicHolidays2026,
  createContactPolicy,
  createHolidayCalendar,
  holidayName,
  isWorkday,
  type HolidayYearInput,
} from '../src/index.js';
import { consentingCustomer } from './fixtures.js';

// These dates restate the configured 2026 data (the State Council notice of 2025-11-04).
const daysOff2026 = {
  new_year: ['2026-01-01', '2026-01-03'],
  spring_festival: ['2026-02-15', '2026-02-23'],
  qingming: ['2026-04-04', '2026-04-06'],
  labour_day: ['2026-05-01', '2026-05-05'],
  dragon_boat: ['2026-06-19', '2026-06-21'],
  mid_autumn: ['2026-09-25', '2026-09-27'],
  national_day: ['2026-10-01', '2026-10-07'],
};
const makeUpWorkdays2026 = [
  '2026-01-04',
  '2026-02-14',
  '2026-02-28',
  '2026-05-09',
  '2026-09-20',
  '2026-10-10',
];

function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(from); day <= Date.parse(to); day += 86_400_000) {
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return dates;
}

describe('the 2026 China holiday calendar', () => {
  it('has every day of each announced holiday off, named in both locales', () => {
    for (const [key, [from, to]] of Object.entries(daysOff2026)) {
      for (const date of datesBetween(from ?? '', to ?? '')) {
        expect(isWorkday(date), date).toBe(false);
        const holiday = chinaPublicHolidays2026.holidays.find((entry) => entry.key === key);
        expect(holidayName(date), date).toEqual(holiday?.name);
      }
    }
    expect(holidayName('2026-10-01')).toEqual({ 'zh-CN': '国庆节', en: 'National Day' });
    expect(holidayName('2026-02-17')?.['zh-CN']).toBe('春节');
  });

  it('counts the make-up Saturdays and Sundays (调休) as workdays', () => {
    for (const date of makeUpWorkdays2026) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect([0, 6], `${date} is a weekend day`).toContain(weekday);
      expect(isWorkday(date), date).toBe(true);
      expect(holidayName(date)).toBeUndefined();
    }
  });

  it('has 33 days off in holidays and ordinary weekends and weekdays otherwise', () => {
    const all = datesBetween('2026-01-01', '2026-12-31');
    const holidays = all.filter((date) => holidayName(date) !== undefined);
    expect(holidays).toHaveLength(33);
    expect(isWorkday('2026-03-10')).toBe(true);
    expect(isWorkday('2026-03-14')).toBe(false);
    expect(isWorkday('2026-10-08')).toBe(true);
  });

  it('falls back to Monday–Friday in a year that is not configured', () => {
    expect(isWorkday('2027-10-01')).toBe(true);
    expect(isWorkday('2027-10-02')).toBe(false);
    expect(holidayName('2027-10-01')).toBeUndefined();
  });
});

describe('marketing on holidays', () => {
  const marketingAt = (
    policy: ReturnType<typeof createContactPolicy>,
    at: string,
    channel: 'sms' | 'app_push' = 'sms',
  ) => policy.decide({ customer: consentingCustomer, channel, purpose: 'marketing', at });

  it('pauses marketing on a public holiday and retries on the first morning after it', () => {
    const decision = marketingAt(createContactPolicy(), '2026-10-01T10:00:00+08:00');
    expect(decision).toMatchObject({
      allowed: false,
      reasons: [
        {
          code: 'holiday',
          detail: {
            date: '2026-10-01',
            kind: 'public_holiday',
            holiday: 'national_day',
            pausedOn: 'public_holidays',
          },
        },
      ],
      retryAt: '2026-10-08T08:00:00+08:00',
    });
    if (!decision.allowed) expect(decision.reasons[0]?.message['zh-CN']).toContain('国庆节');
  });

  it('sends service and transactional messages on holidays', () => {
    const policy = createContactPolicy();
    for (const purpose of ['service', 'transactional'] as const) {
      expect(
        policy.decide({
          customer: consentingCustomer,
          channel: 'sms',
          purpose,
          at: '2026-10-01T10:00:00+08:00',
        }).allowed,
      ).toBe(true);
    }
  });

  it('can pause on every non-workday, treating make-up workdays as workdays', () => {
    const policy = createContactPolicy({ holidays: { marketingPausedOn: 'non_workdays' } });
    expect(marketingAt(policy, '2026-03-14T10:00:00+08:00')).toMatchObject({
      allowed: false,
      reasons: [{ code: 'holiday', detail: { kind: 'weekend' } }],
      retryAt: '2026-03-16T08:00:00+08:00',
    });
    expect(marketingAt(policy, '2026-10-10T10:00:00+08:00').allowed).toBe(true);
    expect(marketingAt(policy, '2026-09-20T10:00:00+08:00').allowed).toBe(true);
    // National Day ends on Wednesday 7 October; Thursday 8 October is the next workday.
    expect(marketingAt(policy, '2026-10-03T10:00:00+08:00')).toMatchObject({
      retryAt: '2026-10-08T08:00:00+08:00',
    });
  });

  it('is configurable per channel', () => {
    const policy = createContactPolicy({ holidays: { byChannel: { app_push: 'never' } } });
    expect(marketingAt(policy, '2026-10-01T10:00:00+08:00', 'app_push').allowed).toBe(true);
    expect(marketingAt(policy, '2026-10-01T10:00:00+08:00', 'sms').allowed).toBe(false);
  });

  it('lets a bank add a year', () => {
    const year2027: HolidayYearInput = {
      year: 2027,
      holidays: [
        {
          key: 'national_day',
          name: { 'zh-CN': '国庆节', en: 'National Day' },
          from: '2027-10-01',
          to: '2027-10-07',
        },
      ],
      makeUpWorkdays: [{ date: '2027-10-09', holiday: 'national_day' }],
    };
    const policy = createContactPolicy({ holidays: { years: [...chinaPublicHolidays, year2027] } });
    expect(policy.calendar.years).toEqual([2026, 2027]);
    expect(policy.calendar.isWorkday('2027-10-09')).toBe(true);
    expect(marketingAt(policy, '2027-10-04T10:00:00+08:00')).toMatchObject({
      retryAt: '2027-10-08T08:00:00+08:00',
    });
    expect(marketingAt(policy, '2026-10-04T10:00:00+08:00').allowed).toBe(false);
  });
});

describe('invalid holiday years', () => {
  it('names the field of a make-up workday inside a holiday', () => {
    const broken: HolidayYearInput = {
      year: 2027,
      holidays: [
        {
          key: 'labour_day',
          name: { 'zh-CN': '劳动节', en: 'Labour Day' },
          from: '2027-05-01',
          to: '2027-05-05',
        },
      ],
      makeUpWorkdays: [{ date: '2027-05-03', holiday: 'labour_day' }],
    };
    expect(() => createHolidayCalendar([broken])).toThrow(HolidayCalendarError);
    expect(() => createHolidayCalendar([broken])).toThrow(/0\.makeUpWorkdays\.0\.date/);
    expect(() => createContactPolicy({ holidays: { years: [broken] } })).toThrow(
      /holidays\.years\.0\.makeUpWorkdays\.0\.date/,
    );
  });

  it('rejects a year listed twice and a make-up day for an unknown holiday', () => {
    expect(() =>
      createContactPolicy({
        holidays: { years: [chinaPublicHolidays2026, chinaPublicHolidays2026] },
      }),
    ).toThrow(ContactPolicySettingsError);
    expect(() =>
      createHolidayCalendar([
        { year: 2027, holidays: [], makeUpWorkdays: [{ date: '2027-01-02', holiday: 'nope' }] },
      ]),
    ).toThrow(/makeUpWorkdays\.0\.holiday/);
  });

  it('accepts the shipped 2026 data', () => {
    expect(createHolidayCalendar(chinaPublicHolidays).years).toEqual([2026]);
  });
});
