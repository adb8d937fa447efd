// The contact policy: every send, call task and contact plan asks it first, and every "no"
// comes with its reasons and, when waiting helps, the earliest instant to try again.
import { BankClock, MS_PER_DAY, instantMs } from './bank-time.js';
import { ContactPolicySettingsError, describeIssues } from './errors.js';
import { indexCalendar, type HolidayCalendar } from './holidays/calendar.js';
import { consentReasons } from './consent.js';
import { HistoryReader, type TimedContact } from './ledger.js';
import {
  doNotContactReason,
  timeBoundReasonCodes,
  type Decision,
  type SuppressionReason,
} from './reasons.js';
import { parseContactRequest, type ContactRequest, type ContactRequestInput } from './request.js';
import {
  contactPolicySettingsSchema,
  type ContactPolicySettings,
  type ContactPolicySettingsInput,
} from './settings.js';
import { timeBlocks, type TimeRuleContext } from './time-rules.js';

/** How far ahead retryAt is searched; beyond it the contact is treated as never allowed. */
const RETRY_HORIZON_MS = 2 * 366 * MS_PER_DAY;
/** Each step moves past at least one blocked stretch; a year of them is far fewer than this. */
const RETRY_MAX_STEPS = 10_000;

export interface ContactPolicy {
  readonly settings: ContactPolicySettings;
  readonly calendar: HolidayCalendar;
  /** Whether one contact may happen at `request.at`, and if not, every reason why. */
  decide(request: ContactRequestInput): Decision;
  /**
   * Decides a batch in which campaigns compete for customers: per customer, the higher priority
   * wins (then the earlier request, then the earlier in the batch) and the others are told
   * `higher_priority_campaign`. Contacts granted in the batch count towards caps. Decisions are
   * returned in the order of the requests.
   */
  arbitrate(requests: readonly ContactRequestInput[]): Decision[];
  /**
   * The earliest instant at or after `request.at` when quiet hours, holidays, frequency caps and
   * arbitration all allow the contact; undefined if none within two years. Consent is not
   * considered: waiting does not grant it.
   */
  nextAllowedInstant(request: ContactRequestInput): string | undefined;
}

/** Validates the settings (throws ContactPolicySettingsError naming each field) and builds a policy. */
export function createContactPolicy(settings: ContactPolicySettingsInput = {}): ContactPolicy {
  const parsed = contactPolicySettingsSchema.safeParse(settings);
  if (!parsed.success) throw new ContactPolicySettingsError(describeIssues(parsed.error.issues));
  return new Policy(parsed.data);
}

interface Evaluation {
  request: ContactRequest;
  reader: HistoryReader;
}

class Policy implements ContactPolicy {
  readonly settings: ContactPolicySettings;
  readonly calendar: HolidayCalendar;
  private readonly context: TimeRuleContext;
  private readonly clock: BankClock;

  constructor(settings: ContactPolicySettings) {
    this.settings = settings;
    this.calendar = indexCalendar(settings.holidays.years);
    this.clock = new BankClock(settings.utcOffset);
    this.context = { settings, clock: this.clock, calendar: this.calendar };
  }

  decide(input: ContactRequestInput): Decision {
    return this.evaluate(this.prepare('decide()', input));
  }

  arbitrate(inputs: readonly ContactRequestInput[]): Decision[] {
    const evaluations = inputs.map((input, index) =>
      this.prepare(`arbitrate() request ${index}`, input),
    );
    const decisions: Decision[] = new Array<Decision>(evaluations.length);
    const grantedByCustomer = new Map<string, TimedContact[]>();
    for (const index of rank(evaluations)) {
      const evaluation = evaluations[index];
      if (evaluation === undefined) continue;
      const { request } = evaluation;
      const granted = grantedByCustomer.get(request.customer.id) ?? [];
      const decision = this.evaluate({ request, reader: evaluation.reader.including(granted) });
      decisions[index] = decision;
      if (decision.allowed) {
        granted.push({ record: recordOf(request), atMs: instantMs(request.at), fromBatch: true });
        grantedByCustomer.set(request.customer.id, granted);
      }
    }
    return decisions;
  }

  nextAllowedInstant(input: ContactRequestInput): string | undefined {
    const evaluation = this.prepare('nextAllowedInstant()', input);
    const allowedMs = this.firstOpening(evaluation, instantMs(evaluation.request.at));
    return allowedMs === undefined ? undefined : this.clock.format(allowedMs);
  }

  private prepare(operation: string, input: ContactRequestInput): Evaluation {
    const request = parseContactRequest(operation, input);
    const reader = new HistoryReader(request.history, request.customer.id, (ms) =>
      this.clock.format(ms),
    );
    return { request, reader };
  }

  private evaluate(evaluation: Evaluation): Decision {
    const { request, reader } = evaluation;
    const atMs = instantMs(request.at);
    const reasons: SuppressionReason[] = [
      ...this.doNotContactReasons(request),
      ...consentReasons(request.customer, request.channel, request.purpose, atMs),
      ...timeBlocks(this.context, request, reader, atMs).map((block) => block.reason),
    ];
    if (reasons.length === 0) return { allowed: true };
    if (!reasons.every((reason) => timeBoundReasonCodes.includes(reason.code))) {
      return { allowed: false, reasons };
    }
    const retryMs = this.firstOpening(evaluation, atMs);
    return retryMs === undefined
      ? { allowed: false, reasons }
      : { allowed: false, reasons, retryAt: this.clock.format(retryMs) };
  }

  /** Do-not-contact (勿扰) stops marketing and service; transactional messages still go. */
  private doNotContactReasons(request: ContactRequest): SuppressionReason[] {
    if (!request.customer.doNotContact || request.purpose === 'transactional') return [];
    return [doNotContactReason({ purpose: request.purpose })];
  }

  /**
   * Walks forward: every instant before a block's `until` is blocked by that block, so jumping to
   * the latest `until` never skips an allowed instant, and the first unblocked instant is the earliest.
   */
  private firstOpening(evaluation: Evaluation, fromMs: number): number | undefined {
    let candidate = fromMs;
    for (let step = 0; step < RETRY_MAX_STEPS; step += 1) {
      const blocks = timeBlocks(this.context, evaluation.request, evaluation.reader, candidate);
      if (blocks.length === 0) return candidate;
      candidate = Math.max(...blocks.map((block) => block.until));
      if (candidate - fromMs > RETRY_HORIZON_MS) return undefined;
    }
    return undefined;
  }
}

/** Batch order: higher priority first, then the earlier contact, then the earlier in the batch. */
function rank(evaluations: readonly Evaluation[]): number[] {
  const order = evaluations.map((_, index) => index);
  const key = (index: number) => evaluations[index]?.request;
  return order.sort((left, right) => {
    const a = key(left);
    const b = key(right);
    if (a === undefined || b === undefined) return left - right;
    if (a.priority !== b.priority) return b.priority - a.priority;
    const byTime = instantMs(a.at) - instantMs(b.at);
    return byTime !== 0 ? byTime : left - right;
  });
}

function recordOf(request: ContactRequest) {
  return {
    channel: request.channel,
    purpose: request.purpose,
    at: request.at,
    priority: request.priority,
    ...(request.campaignId === undefined ? {} : { campaignId: request.campaignId }),
  };
}
