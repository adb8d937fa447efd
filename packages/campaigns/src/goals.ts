// Whether an enrolled customer met the campaign's goal, judged from what happened after enrolment:
// the AUM trajectory rebuilt from transactions (for holding periods), purchases, activity, recorded
// responses and referrals. Used by the journey (exit on goal, `goalMet` branches) and by the report.
import type { Customer, CustomerEvent } from '@kequn/core';
import type { Goal } from './model.js';
import type { CampaignResponse, Enrolment } from './store/campaign-store.js';

const DAY_MS = 86_400_000;

export interface GoalEvidence {
  enrolment: Enrolment;
  /** The customer now; undefined when they have left the bank. */
  customer: Customer | undefined;
  /** The customer's events after enrolment, oldest first. */
  events: readonly CustomerEvent[];
  responses: readonly CampaignResponse[];
  /** Customers this one referred (from `referred` responses), as they are now. */
  referees: readonly Customer[];
  /** Product id → product type, for purchase goals by type. */
  productTypes: ReadonlyMap<string, string>;
  /** Members of a `rule` goal at the time of judging, by customer id. */
  ruleMembers?: ReadonlySet<string>;
  nowMs: number;
}

export interface GoalResult {
  met: boolean;
  /** When the goal was first met, where the evidence says. */
  atMs?: number;
}

function windowOf(goal: Goal, evidence: GoalEvidence): { from: number; until: number } {
  const from = evidence.enrolment.enrolledMs;
  return { from, until: Math.min(evidence.nowMs, from + goal.windowDays * DAY_MS) };
}

function inWindow(event: CustomerEvent, window: { from: number; until: number }): boolean {
  const at = Date.parse(event.occurredAt);
  return at > window.from && at <= window.until;
}

/**
 * The balance day by day from enrolment, starting at the AUM recorded then and moved by every
 * transaction in or out; the goal holds once it stays at or above the bar for `holdDays` days.
 */
function heldAbove(
  amount: number,
  holdDays: number,
  evidence: GoalEvidence,
  window: { from: number; until: number },
): GoalResult {
  const days = Math.floor((window.until - window.from) / DAY_MS);
  if (days < holdDays) return { met: false };
  const movements = new Map<number, number>();
  for (const event of evidence.events) {
    if (event.type !== 'transaction' || !inWindow(event, window)) continue;
    const day = Math.floor((Date.parse(event.occurredAt) - window.from) / DAY_MS);
    movements.set(
      day,
      (movements.get(day) ?? 0) + (event.direction === 'in' ? event.amount : -event.amount),
    );
  }
  let balance = evidence.enrolment.aumAtEnrolment;
  let run = 0;
  for (let day = 0; day < days; day += 1) {
    balance += movements.get(day) ?? 0;
    run = balance >= amount ? run + 1 : 0;
    if (run >= holdDays) return { met: true, atMs: window.from + (day + 1) * DAY_MS };
  }
  return { met: false };
}

export function judgeGoal(goal: Goal, evidence: GoalEvidence): GoalResult {
  const window = windowOf(goal, evidence);
  const criterion = goal.criterion;
  if ('aumAtLeast' in criterion) {
    if (criterion.holdDays !== undefined)
      return heldAbove(criterion.aumAtLeast, criterion.holdDays, evidence, window);
    const aum = evidence.customer?.assets.currentAum ?? 0;
    return aum >= criterion.aumAtLeast ? { met: true, atMs: window.until } : { met: false };
  }
  if ('purchase' in criterion) {
    const wanted = criterion.purchase;
    const purchase = evidence.events.find(
      (event) =>
        event.type === 'purchase' &&
        inWindow(event, window) &&
        (wanted.productIds === undefined || wanted.productIds.includes(event.productId)) &&
        (wanted.productTypes === undefined ||
          wanted.productTypes.includes(evidence.productTypes.get(event.productId) ?? '')) &&
        event.amount >= (wanted.minAmount ?? 0),
    );
    return purchase === undefined
      ? { met: false }
      : { met: true, atMs: Date.parse(purchase.occurredAt) };
  }
  if ('activity' in criterion) {
    const transactions = evidence.events.filter(
      (event) => event.type === 'transaction' && inWindow(event, window),
    );
    const reached = transactions[criterion.activity.minTransactions - 1];
    return reached === undefined
      ? { met: false }
      : { met: true, atMs: Date.parse(reached.occurredAt) };
  }
  if ('response' in criterion) {
    const matching = evidence.responses.filter(
      (response) =>
        response.kind === criterion.response &&
        response.atMs > window.from &&
        response.atMs <= window.until,
    );
    const reached = matching[criterion.atLeast - 1];
    return reached === undefined ? { met: false } : { met: true, atMs: reached.atMs };
  }
  if ('referral' in criterion) {
    const qualified = evidence.referees.some(
      (referee) => referee.assets.currentAum >= criterion.referral.refereeAumAtLeast,
    );
    return qualified ? { met: true, atMs: window.until } : { met: false };
  }
  const member = evidence.ruleMembers?.has(evidence.enrolment.customerId) ?? false;
  return member ? { met: true, atMs: window.until } : { met: false };
}

/** Whether judging the goal needs the customer's events (purchases, activity, a holding period). */
export function goalReadsEvents(goal: Goal): boolean {
  const criterion = goal.criterion;
  return (
    'purchase' in criterion ||
    'activity' in criterion ||
    ('aumAtLeast' in criterion && criterion.holdDays !== undefined)
  );
}

/** The referee ids a customer named in `referred` responses. */
export function refereeIds(responses: readonly CampaignResponse[]): string[] {
  return responses.flatMap((response) => {
    const refereeId = response.data['refereeId'];
    return response.kind === 'referred' && typeof refereeId === 'string' ? [refereeId] : [];
  });
}
