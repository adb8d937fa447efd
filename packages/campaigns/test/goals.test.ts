// judgeGoal on hand-made evidence: the holding period rebuilt from transactions day by day,
// purchases by product and type, activity, response counts, referrals and rule goals — each with
// the window (after enrolment, up to now or the end of the goal's window) that bounds it.
import type { Customer, CustomerEvent } from '@kequn/core';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { goalSchema, judgeGoal, refereeIds, type CampaignResponse, type Enrolment, type GoalEvidence, type goalCriterionSchema } from '../src/index.js';
import { syntheticCustomers } from './fixtures.js';

type GoalCriterion = z.input<typeof goalCriterionSchema>;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ENROLLED_MS = Date.parse('2026-11-02T10:00:00+08:00');
const at = (days: number, hours = 1) => ENROLLED_MS + days * DAY_MS + hours * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();
function firstCustomer(): Customer {
  const [customer] = syntheticCustomers(71, 1);
  if (customer === undefined) throw new Error('no synthetic customer');
  return customer;
}
const sample = firstCustomer();

const enrolment: Enrolment = {
  campaignId: 'goal-test',
  customerId: sample.id,
  cohort: 'treatment',
  variant: 'a',
  stratum: '',
  state: 'active',
  stepIndex: 0,
  nextRunMs: ENROLLED_MS,
  enrolledMs: ENROLLED_MS,
  aumAtEnrolment: 40_000,
  source: 'start',
  exitReason: null,
};

function evidence(overrides: Partial<GoalEvidence> & { nowMs: number }): GoalEvidence {
  return { enrolment, customer: sample, events: [], responses: [], referees: [], productTypes: new Map(), ...overrides };
}

function judge(criterion: GoalCriterion, windowDays: number, input: Partial<GoalEvidence> & { nowMs: number }) {
  return judgeGoal(goalSchema.parse({ label: { 'zh-CN': '目标', en: 'Goal' }, windowDays, criterion }), evidence(input));
}

let eventCount = 0;
function transaction(ms: number, direction: 'in' | 'out', amount: number): CustomerEvent {
  eventCount += 1;
  return { id: `E${eventCount}`, customerId: sample.id, occurredAt: iso(ms), type: 'transaction', amount, direction, channel: 'mobile', category: 'transfer' };
}
function purchase(ms: number, productId: string, amount: number): CustomerEvent {
  eventCount += 1;
  return { id: `E${eventCount}`, customerId: sample.id, occurredAt: iso(ms), type: 'purchase', productId, amount };
}
function login(ms: number): CustomerEvent {
  eventCount += 1;
  return { id: `E${eventCount}`, customerId: sample.id, occurredAt: iso(ms), type: 'login', channel: 'mobile' };
}
function response(kind: string, ms: number, data: Record<string, unknown> = {}): CampaignResponse {
  return { campaignId: 'goal-test', customerId: sample.id, kind, reference: `${kind}-${ms}`, stepId: null, atMs: ms, data };
}

describe('judgeGoal: assets held above the bar (达标 with a holding period)', () => {
  const bar: GoalCriterion = { aumAtLeast: 50_000, holdDays: 5 };

  it('is met once the balance rebuilt from transactions stays at the bar for holdDays days', () => {
    const events = [transaction(at(2), 'in', 15_000)];
    // 40k at enrolment, 55k from day 2: days 2–6 are five days, met at the end of day 6.
    expect(judge(bar, 30, { events, nowMs: at(20) })).toEqual({ met: true, atMs: ENROLLED_MS + 7 * DAY_MS });
    expect(judge(bar, 30, { events, nowMs: ENROLLED_MS + 7 * DAY_MS - 1 })).toEqual({ met: false });
    expect(judge(bar, 30, { events, nowMs: ENROLLED_MS + 7 * DAY_MS })).toEqual({ met: true, atMs: ENROLLED_MS + 7 * DAY_MS });
  });

  it('starts the count again after a dip below the bar', () => {
    const events = [transaction(at(2), 'in', 15_000), transaction(at(4), 'out', 10_000), login(at(5)), transaction(at(8), 'in', 10_000)];
    expect(judge(bar, 30, { events, nowMs: at(12, 0) })).toEqual({ met: false });
    expect(judge(bar, 30, { events, nowMs: at(20) })).toEqual({ met: true, atMs: ENROLLED_MS + 13 * DAY_MS });
  });

  it('counts from the balance at enrolment, ignores what happened before it, and stops at the end of the window', () => {
    const already = { ...enrolment, aumAtEnrolment: 60_000 };
    expect(judge({ aumAtLeast: 50_000, holdDays: 3 }, 30, { enrolment: already, nowMs: at(10) })).toEqual({ met: true, atMs: ENROLLED_MS + 3 * DAY_MS });
    // A deposit at the very instant of enrolment is already in the balance at enrolment.
    expect(judge(bar, 30, { events: [transaction(ENROLLED_MS, 'in', 15_000)], nowMs: at(20) })).toEqual({ met: false });
    // Reaching the bar on day 1 with a five-day window leaves only four days in it.
    expect(judge(bar, 5, { events: [transaction(at(1), 'in', 15_000)], nowMs: at(20) })).toEqual({ met: false });
    expect(judge(bar, 6, { events: [transaction(at(1), 'in', 15_000)], nowMs: at(20) })).toEqual({ met: true, atMs: ENROLLED_MS + 6 * DAY_MS });
  });

  it('without a holding period, judges the customer’s current AUM', () => {
    const rich: Customer = { ...sample, assets: { ...sample.assets, currentAum: 80_000 } };
    const poor: Customer = { ...sample, assets: { ...sample.assets, currentAum: 20_000 } };
    expect(judge({ aumAtLeast: 50_000 }, 30, { customer: rich, nowMs: at(3) })).toEqual({ met: true, atMs: at(3) });
    expect(judge({ aumAtLeast: 50_000 }, 30, { customer: poor, nowMs: at(3) })).toEqual({ met: false });
    expect(judge({ aumAtLeast: 50_000 }, 30, { customer: undefined, nowMs: at(3) })).toEqual({ met: false });
  });
});

describe('judgeGoal: purchases, activity and responses', () => {
  const productTypes = new Map([
    ['WM-CASH', 'wealth'],
    ['FD-BOND', 'fund'],
    ['INS-LIFE', 'insurance'],
  ]);

  it('finds the first purchase of a wanted product type, id and amount inside the window', () => {
    const events = [purchase(-DAY_MS + ENROLLED_MS, 'FD-BOND', 50_000), purchase(at(1), 'WM-CASH', 20_000), purchase(at(3), 'FD-BOND', 5_000), purchase(at(6), 'FD-BOND', 12_000), purchase(at(40), 'INS-LIFE', 9_000)];
    const judgeFor = (wanted: { productIds?: string[]; productTypes?: string[]; minAmount?: number }) => judge({ purchase: wanted }, 30, { events, productTypes, nowMs: at(60) });
    expect(judgeFor({})).toEqual({ met: true, atMs: at(1) });
    expect(judgeFor({ productTypes: ['fund'] })).toEqual({ met: true, atMs: at(3) });
    expect(judgeFor({ productTypes: ['fund'], minAmount: 10_000 })).toEqual({ met: true, atMs: at(6) });
    expect(judgeFor({ productIds: ['WM-CASH'], minAmount: 20_000 })).toEqual({ met: true, atMs: at(1) });
    // Bought after the 30-day window, or before enrolment: not a conversion.
    expect(judgeFor({ productTypes: ['insurance'] })).toEqual({ met: false });
    expect(judgeFor({ productTypes: ['fund'], minAmount: 20_000 })).toEqual({ met: false });
    // A product the catalogue does not know has no type.
    expect(judge({ purchase: { productTypes: ['fund'] } }, 30, { events: [purchase(at(1), 'UNKNOWN', 1_000)], productTypes, nowMs: at(5) })).toEqual({ met: false });
  });

  it('counts transactions (not logins) after enrolment for activity', () => {
    const events = [transaction(ENROLLED_MS - HOUR_MS, 'in', 100), transaction(at(1), 'out', 50), login(at(2)), login(at(3)), transaction(at(4), 'in', 80), transaction(at(9), 'in', 10)];
    expect(judge({ activity: { minTransactions: 1 } }, 30, { events, nowMs: at(10) })).toEqual({ met: true, atMs: at(1) });
    expect(judge({ activity: { minTransactions: 3 } }, 30, { events, nowMs: at(10) })).toEqual({ met: true, atMs: at(9) });
    expect(judge({ activity: { minTransactions: 3 } }, 30, { events, nowMs: at(8) })).toEqual({ met: false });
    expect(judge({ activity: { minTransactions: 4 } }, 30, { events, nowMs: at(10) })).toEqual({ met: false });
  });

  it('counts recorded responses of the wanted kind', () => {
    const responses = [response('registered', at(0)), response('attended', at(1)), response('attended', at(3)), response('attended', at(45))];
    expect(judge({ response: 'attended' }, 30, { responses, nowMs: at(50) })).toEqual({ met: true, atMs: at(1) });
    expect(judge({ response: 'attended', atLeast: 2 }, 30, { responses, nowMs: at(50) })).toEqual({ met: true, atMs: at(3) });
    expect(judge({ response: 'attended', atLeast: 3 }, 30, { responses, nowMs: at(50) })).toEqual({ met: false });
    expect(judge({ response: 'attended', atLeast: 2 }, 30, { responses, nowMs: at(2) })).toEqual({ met: false });
    expect(judge({ response: 'sold' }, 30, { responses, nowMs: at(50) })).toEqual({ met: false });
  });
});

describe('judgeGoal: referrals and rules', () => {
  const customers = syntheticCustomers(72, 40);
  const rich = customers.find((customer) => customer.assets.currentAum >= 100_000);
  const poor = customers.find((customer) => customer.assets.currentAum < 20_000);
  if (rich === undefined || poor === undefined) throw new Error('the synthetic bank lacks a rich or a poor customer');

  it('is met when a referred customer reaches the AUM bar', () => {
    const criterion: GoalCriterion = { referral: { refereeAumAtLeast: 50_000 } };
    expect(judge(criterion, 60, { referees: [poor, rich], nowMs: at(5) })).toEqual({ met: true, atMs: at(5) });
    expect(judge(criterion, 60, { referees: [poor], nowMs: at(5) })).toEqual({ met: false });
    expect(judge(criterion, 60, { referees: [], nowMs: at(5) })).toEqual({ met: false });
  });

  it('reads referee ids only from referred responses that name one', () => {
    const responses = [response('referred', at(1), { refereeId: rich.id }), response('referred', at(2), { refereeId: 42 }), response('attended', at(3), { refereeId: poor.id }), response('referred', at(4), { refereeId: poor.id })];
    expect(refereeIds(responses)).toEqual([rich.id, poor.id]);
  });

  it('is met for members of a rule goal', () => {
    const criterion: GoalCriterion = { rule: { attribute: 'assets.currentAum', op: 'gte', value: 50_000 } };
    expect(judge(criterion, 30, { ruleMembers: new Set([sample.id]), nowMs: at(4) })).toEqual({ met: true, atMs: at(4) });
    expect(judge(criterion, 30, { ruleMembers: new Set(['someone-else']), nowMs: at(4) })).toEqual({ met: false });
    expect(judge(criterion, 30, { nowMs: at(4) })).toEqual({ met: false });
  });
});
