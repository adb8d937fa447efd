// Parameters of an event invitation: 预约来访 (a free wealth-plan review at the branch, offered in two
// time slots, DOMAIN.md §6), salons, lectures, open days and care events (沙龙、讲座、开放日、关怀活动).
import { z } from 'zod';
import { isoDate, localizedTextSchema } from '@kequn/core';

export const eventKinds = ['appointment', 'salon', 'lecture', 'open_day', 'care_event'] as const;
export type EventKind = (typeof eventKinds)[number];

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as "09:30" or "14:00"');

export const timeSlotSchema = z
  .strictObject({ start: clockTime, end: clockTime })
  .refine((slot) => slot.start < slot.end, { message: 'a slot must end after it starts', path: ['end'] });
export type TimeSlot = z.infer<typeof timeSlotSchema>;

export const eventInvitationParametersSchema = z
  .strictObject({
    kind: z.enum(eventKinds).default('appointment'),
    /** The event's name; each kind has a default (预约来访: "个人理财规划成长"). */
    eventName: localizedTextSchema.optional(),
    /** The day of the event or of the appointments. Invitations go out `inviteDaysBefore` days earlier. */
    eventDate: isoDate,
    place: localizedTextSchema.default({ 'zh-CN': '我行网点贵宾理财室', en: 'the VIP wealth room of your branch' }),
    /** Two slots, so the customer chooses between them (二择一) rather than whether to come. */
    timeSlots: z
      .tuple([timeSlotSchema, timeSlotSchema])
      .default([
        { start: '10:00', end: '11:00' },
        { start: '14:30', end: '15:30' },
      ])
      .refine(([first, second]) => first.start !== second.start, { message: 'the two slots must start at different times', path: [1, 'start'] }),
    /** Seats or appointments available in total; the invitation says places are limited. */
    capacity: z.number().int().min(1).max(10_000).default(20),
    /** Channel of the invitation and the reminder. */
    channel: z.enum(['sms', 'wecom']).default('sms'),
    /** Days before the event the invitation goes out (the campaign enrols on that day). */
    inviteDaysBefore: z.number().int().min(3).max(60).default(10),
    /** Days to wait for a registration before the manager invites in person or by phone. */
    registrationDays: z.number().int().min(1).max(58).default(3),
    /** Invite these segments (e.g. a featured group or a tier); narrowed by `wealthHoldersOnly`. */
    segments: z.array(z.string().min(1)).default([]),
    /** Only customers who hold wealth products, funds or structured deposits (the seeds' 预约来访 audience). */
    wealthHoldersOnly: z.boolean().default(true),
  })
  .superRefine((parameters, context) => {
    // Registered customers get their reminder the day before; the registration wait must end before that.
    if (parameters.registrationDays > parameters.inviteDaysBefore - 2)
      context.addIssue({
        code: 'custom',
        path: ['registrationDays'],
        message: `must be at most inviteDaysBefore - 2 (${parameters.inviteDaysBefore - 2}) so the reminder can go out the day before the event, got ${parameters.registrationDays}`,
      });
    if (parameters.segments.length === 0 && !parameters.wealthHoldersOnly)
      context.addIssue({ code: 'custom', path: ['segments'], message: 'name the segments to invite, or keep wealthHoldersOnly: a campaign never invites everyone' });
  });
export type EventInvitationParameters = z.output<typeof eventInvitationParametersSchema>;
