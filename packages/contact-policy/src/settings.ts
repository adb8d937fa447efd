// The contact policy's settings. Every number is a default of DOMAIN.md §9 a bank can change.
import { channelKindSchema, contactPurposeSchema } from '@kequn/core';
import { z } from 'zod';
import { holidayYearsSchema } from './holidays/calendar.js';
import { chinaPublicHolidays } from './holidays/china.js';

const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day as HH:MM on the 24-hour clock');

/** Purposes that caps and pauses may govern: transactional messages are never capped or paused. */
export const governedPurposeSchema = contactPurposeSchema.exclude(['transactional']);
export type GovernedPurpose = z.infer<typeof governedPurposeSchema>;

export const quietWindowSchema = z
  .object({ start: timeOfDay, end: timeOfDay })
  .refine((window) => window.start !== window.end, {
    message: 'start and end are equal; set the channel to false to switch its quiet hours off',
    path: ['end'],
  });
export type QuietWindow = z.infer<typeof quietWindowSchema>;

/**
 * Which days marketing pauses on: `public_holidays` (法定节假日), `non_workdays` (holidays and
 * weekends, make-up workdays excepted) or `never`.
 */
export const marketingPauseSchema = z.enum(['public_holidays', 'non_workdays', 'never']);
export type MarketingPause = z.infer<typeof marketingPauseSchema>;

export const frequencyCapSchema = z.object({
  /** Shown in explanations, e.g. `weekly-sms`. */
  name: z.string().min(1).optional(),
  purposes: z.array(governedPurposeSchema).min(1).default(['marketing']),
  /** The channel counted; absent means every channel together. */
  channel: channelKindSchema.optional(),
  limit: z.number().int().positive(),
  /** Length of the rolling window, in days (fractions allowed, e.g. 0.5). */
  windowDays: z.number().positive().max(366),
});
export type FrequencyCap = z.infer<typeof frequencyCapSchema>;

const defaultFrequencyCaps: FrequencyCap[] = [
  { name: 'marketing-all-channels', purposes: ['marketing'], limit: 4, windowDays: 7 },
  { name: 'marketing-sms', purposes: ['marketing'], channel: 'sms', limit: 2, windowDays: 7 },
];

export const contactPolicySettingsSchema = z.object({
  /** The bank's business clock; China Standard Time has no daylight saving. */
  utcOffset: z
    .string()
    .regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, 'expected a UTC offset such as +08:00')
    .default('+08:00'),
  quietHours: z
    .object({
      /** Quiet from `start` (inclusive) to `end` (exclusive), wrapping past midnight when start > end. */
      window: quietWindowSchema.prefault({ start: '21:00', end: '08:00' }),
      purposes: z.array(governedPurposeSchema).default(['marketing', 'service']),
      /** A channel's own window, or false for none (phone tasks are a channel too). */
      byChannel: z
        .partialRecord(channelKindSchema, z.union([quietWindowSchema, z.literal(false)]))
        .default({}),
    })
    .prefault({}),
  holidays: z
    .object({
      /** Official schedules by year; defaults to the shipped China years. */
      years: holidayYearsSchema.default(() => [...chinaPublicHolidays]),
      marketingPausedOn: marketingPauseSchema.default('public_holidays'),
      byChannel: z.partialRecord(channelKindSchema, marketingPauseSchema).default({}),
    })
    .prefault({}),
  frequencyCaps: z
    .array(frequencyCapSchema)
    .default(() => defaultFrequencyCaps.map((cap) => ({ ...cap }))),
  arbitration: z
    .object({
      /** Two campaigns compete when their contacts fall within this many hours of each other. */
      windowHours: z
        .number()
        .positive()
        .max(24 * 366)
        .default(24),
      purposes: z.array(governedPurposeSchema).default(['marketing']),
    })
    .prefault({}),
});
export type ContactPolicySettings = z.infer<typeof contactPolicySettingsSchema>;
/** What callers may pass: every field is optional and falls back to the DOMAIN.md default. */
export type ContactPolicySettingsInput = z.input<typeof contactPolicySettingsSchema>;
