// The rules that pass with time: quiet hours, holidays, frequency caps and campaign arbitration.
// Each check says, when it blocks, the earliest instant it could stop blocking; the policy walks
// forward through those instants to find `retryAt`.
import type { ChannelKind } from '@kequn/core';
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  minutesOfTime,
  type BankClock,
} from './bank-time.js';
import type { HolidayCalendar } from './holidays/calendar.js';
import type { HistoryReader, TimedContact } from './ledger.js';
import {
  frequencyCapReason,
  higherPriorityCampaignReason,
  holidayReason,
  quietHoursReason,
  type SuppressionReason,
} from './reasons.js';
import type { ContactRequest } from './request.js';
import type { ContactPolicySettings, FrequencyCap, QuietWindow } from './settings.js';

export interface Block {
  reason: SuppressionReason;
  /** Every instant from the one checked up to this one is blocked by this rule. */
  until: number;
}

export interface TimeRuleContext {
  readonly settings: ContactPolicySettings;
  readonly clock: BankClock;
  readonly calendar: HolidayCalendar;
}

export function timeBlocks(
  context: TimeRuleContext,
  request: ContactRequest,
  reader: HistoryReader,
  atMs: number,
): Block[] {
  return [
    holidayBlock(context, request, atMs),
    quietHoursBlock(context, request, atMs),
    ...frequencyCapBlocks(context, request, reader, atMs),
    arbitrationBlock(context, request, reader, atMs),
  ].filter((block): block is Block => block !== undefined);
}

function quietWindowOf(
  settings: ContactPolicySettings,
  channel: ChannelKind,
): QuietWindow | undefined {
  const own = settings.quietHours.byChannel[channel];
  if (own === false) return undefined;
  return own ?? settings.quietHours.window;
}

function quietHoursBlock(
  context: TimeRuleContext,
  request: ContactRequest,
  atMs: number,
): Block | undefined {
  const { settings, clock } = context;
  if (
    request.purpose === 'transactional' ||
    !settings.quietHours.purposes.includes(request.purpose)
  )
    return;
  const window = quietWindowOf(settings, request.channel);
  if (window === undefined) return;
  const intoDay = clock.msIntoDay(atMs);
  const start = minutesOfTime(window.start) * MS_PER_MINUTE;
  const end = minutesOfTime(window.end) * MS_PER_MINUTE;
  const wraps = start > end;
  const quiet = wraps ? intoDay >= start || intoDay < end : intoDay >= start && intoDay < end;
  if (!quiet) return;
  const midnight = atMs - intoDay;
  const until = wraps && intoDay >= start ? midnight + MS_PER_DAY + end : midnight + end;
  const detail = {
    channel: request.channel,
    start: window.start,
    end: window.end,
    localTime: clock.timeOfDay(atMs),
    endsAt: clock.format(until),
  };
  return { reason: quietHoursReason(detail), until };
}

function holidayBlock(
  context: TimeRuleContext,
  request: ContactRequest,
  atMs: number,
): Block | undefined {
  const { settings, clock, calendar } = context;
  if (request.purpose !== 'marketing') return;
  const pausedOn =
    settings.holidays.byChannel[request.channel] ?? settings.holidays.marketingPausedOn;
  if (pausedOn === 'never') return;
  const date = clock.dateOf(atMs);
  const holiday = calendar.holidayOn(date);
  const paused = pausedOn === 'public_holidays' ? holiday !== undefined : !calendar.isWorkday(date);
  if (!paused) return;
  const detail = {
    channel: request.channel,
    date,
    kind: holiday === undefined ? ('weekend' as const) : ('public_holiday' as const),
    ...(holiday === undefined ? {} : { holiday: holiday.key, name: holiday.name }),
    pausedOn,
  };
  return { reason: holidayReason(detail), until: clock.startOfDate(date) + MS_PER_DAY };
}

function capApplies(
  cap: FrequencyCap,
  channel: ChannelKind,
  purpose: ContactRequest['purpose'],
): boolean {
  if (purpose === 'transactional' || !cap.purposes.includes(purpose)) return false;
  return cap.channel === undefined || cap.channel === channel;
}

function frequencyCapBlocks(
  context: TimeRuleContext,
  request: ContactRequest,
  reader: HistoryReader,
  atMs: number,
): Block[] {
  const blocks: Block[] = [];
  for (const cap of context.settings.frequencyCaps) {
    if (!capApplies(cap, request.channel, request.purpose)) continue;
    // Whole milliseconds, so that `freesAt` survives a round trip through its ISO text.
    const windowMs = Math.round(cap.windowDays * MS_PER_DAY);
    const counted = reader
      .between(atMs - windowMs, atMs)
      .filter((contact) => capApplies(cap, contact.record.channel, contact.record.purpose))
      .sort((a, b) => a.atMs - b.atMs);
    if (counted.length < cap.limit) continue;
    // One more fits once all but limit − 1 of the counted contacts have left the window.
    const leaving = counted[counted.length - cap.limit];
    if (leaving === undefined) continue;
    const until = leaving.atMs + windowMs;
    const detail = {
      ...(cap.name === undefined ? {} : { cap: cap.name }),
      ...(cap.channel === undefined ? {} : { channel: cap.channel }),
      purposes: cap.purposes,
      limit: cap.limit,
      windowDays: cap.windowDays,
      count: counted.length,
      freesAt: context.clock.format(until),
    };
    blocks.push({ reason: frequencyCapReason(detail), until });
  }
  return blocks;
}

/**
 * A campaign loses to another campaign that contacts the customer within the arbitration window:
 * to one granted earlier in the same batch (ranked first, so of equal or higher priority), or to
 * one in the history of strictly higher priority.
 */
function arbitrationBlock(
  context: TimeRuleContext,
  request: ContactRequest,
  reader: HistoryReader,
  atMs: number,
): Block | undefined {
  const { arbitration } = context.settings;
  const campaignId = request.campaignId;
  if (campaignId === undefined || request.purpose === 'transactional') return;
  if (!arbitration.purposes.includes(request.purpose)) return;
  const windowMs = Math.round(arbitration.windowHours * MS_PER_HOUR);
  const competes = (contact: TimedContact): boolean => {
    const { record } = contact;
    if (record.campaignId === undefined || record.campaignId === campaignId) return false;
    if (record.purpose === 'transactional' || !arbitration.purposes.includes(record.purpose))
      return false;
    if (contact.fromBatch === true) return Math.abs(atMs - contact.atMs) < windowMs;
    return contact.atMs <= atMs && (record.priority ?? Number.NEGATIVE_INFINITY) > request.priority;
  };
  const rivals = reader.between(atMs - windowMs, atMs + windowMs).filter(competes);
  const winner = strongest(rivals);
  if (winner === undefined || winner.record.campaignId === undefined) return;
  const until = Math.max(...rivals.map((rival) => rival.atMs)) + windowMs;
  const detail = {
    campaignId,
    priority: request.priority,
    winningCampaignId: winner.record.campaignId,
    winningPriority: winner.record.priority ?? 0,
    winningAt: context.clock.format(winner.atMs),
    windowHours: arbitration.windowHours,
    decidedBy: winner.fromBatch === true ? ('batch' as const) : ('history' as const),
  };
  return { reason: higherPriorityCampaignReason(detail), until };
}

function strongest(rivals: readonly TimedContact[]): TimedContact | undefined {
  let best: TimedContact | undefined;
  for (const rival of rivals) {
    const priority = rival.record.priority ?? 0;
    if (best === undefined || priority > (best.record.priority ?? 0)) best = rival;
  }
  return best;
}
