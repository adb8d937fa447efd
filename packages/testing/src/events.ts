// A customer's twelve months of events, replayed from the activity plan so that they agree with
// the customer's fields: the last transaction and login are exactly behaviour.lastTransactionAt and
// lastLoginAt, the last three months average monthlyTransactions, purchases match holdings, and
// marketing contacts only use channels the customer consented to. Events stream month by month.
import type { Consent, Customer, CustomerEvent, Holding, Product } from '@kequn/core';
import { SECONDS_PER_DAY, dayOf, formatInstant, secondOfInstant } from './calendar.js';
import { WINDOW_MONTHS, monthSpan, windowStartDay, type GenerationContext } from './context.js';
import {
  daytimeSecond,
  fixedCreditSecond,
  type ActivityPlan,
  type CustomerDraft,
} from './customer.js';
import { WeightedTable, type Random } from './random.js';
import { EFFECTIVE_FLOOR, HIGH_END_FLOOR, MID_FLOOR, toFen, toYuan } from './wealth.js';

/** An event before it gets its id; the second orders events within a month. */
interface TimedEvent {
  second: number;
  event: CustomerEvent;
}

export function* replayEvents(
  context: GenerationContext,
  draft: CustomerDraft,
  random: Random,
): Generator<CustomerEvent, void, undefined> {
  const { customer, activity } = draft;
  const holdingEvents = planHoldingEvents(random, context, customer, activity);
  const campaignWindows = marketingWindows(customer);
  let sequence = 0;
  for (let position = 0; position < WINDOW_MONTHS; position++) {
    const [start, end] = monthSpan(context, position);
    const from = Math.max(start, activity.openedSecond);
    if (from > end) continue;
    const month: TimedEvent[] = [];
    addTransactions(month, random, context, draft, position, from, end);
    addLogins(month, random, customer, activity, position, from, end);
    addManagerContacts(month, random, customer, activity, from, end);
    addCampaignContacts(month, random, customer, campaignWindows, from, end);
    for (const timed of holdingEvents) {
      if (timed.second >= start && timed.second <= end) month.push(timed);
    }
    month.sort((left, right) => left.second - right.second);
    for (const timed of month) {
      sequence += 1;
      timed.event.id = `${customer.id}-E${String(sequence).padStart(5, '0')}`;
      yield timed.event;
    }
  }
}

function timed(second: number, event: CustomerEvent): TimedEvent {
  return { second, event };
}

/** A daytime instant in [from, to]; falls back to any instant there if the range is all night. */
function instantBetween(random: Random, from: number, to: number): number {
  const any = random.integer(from, to);
  const daytime = Math.floor(any / SECONDS_PER_DAY) * SECONDS_PER_DAY + daytimeSecond(random);
  return daytime >= from && daytime <= to ? daytime : any;
}

function addTransactions(
  month: TimedEvent[],
  random: Random,
  context: GenerationContext,
  draft: CustomerDraft,
  position: number,
  from: number,
  end: number,
): void {
  const { customer, activity } = draft;
  for (const credit of activity.fixedCredits) {
    const second = fixedCreditSecond(context, credit, position, activity.openedSecond);
    if (second === undefined) continue;
    // Salaries and pensions arrive in a batch file from the paying unit, not through a teller.
    month.push(
      timed(second, transaction(customer, second, credit.amount, 'in', 'online', credit.category)),
    );
  }
  const count = activity.otherTransactions[position] ?? 0;
  if (count === 0) return;
  const last = activity.lastTransactionSecond;
  const pinned = last !== undefined && last >= from && last <= end;
  const until = pinned ? last : end;
  const usesApp = (activity.logins[position] ?? 0) > 0;
  for (let made = 0; made < count; made++) {
    const second = pinned && made === 0 ? last : instantBetween(random, from, until);
    month.push(timed(second, personalTransaction(random, customer, activity, second, usesApp)));
  }
}

function personalTransaction(
  random: Random,
  customer: Customer,
  activity: ActivityPlan,
  second: number,
  usesApp: boolean,
): CustomerEvent {
  if (random.chance(activity.settlementShare)) {
    const expectedPerMonth =
      Math.max(1, activity.otherTransactions.at(-1) ?? 1) * activity.settlementShare;
    const amount =
      (customer.behaviour.monthlySettlement / expectedPerMonth) *
      Math.exp(0.3 * random.normal() - 0.045);
    const channel = customer.behaviour.posMerchant ? 'pos' : 'online';
    return transaction(customer, second, roundToFen(amount), 'in', channel, 'settlement');
  }
  const kind = random.next();
  if (kind < 0.5) {
    const amount = Math.exp(Math.log(120) + 0.9 * random.normal());
    return transaction(
      customer,
      second,
      roundToFen(amount),
      'out',
      usesApp && random.chance(0.6) ? 'mobile' : 'pos',
      'consumption',
    );
  }
  if (kind < 0.85) {
    const typical = Math.min(50_000, Math.max(500, activity.latestAverage * 0.05));
    const amount = Math.exp(Math.log(typical) + random.normal());
    const channel =
      usesApp && random.chance(0.8) ? 'mobile' : random.chance(0.5) ? 'online' : 'counter';
    return transaction(
      customer,
      second,
      roundToFen(amount),
      random.chance(0.4) ? 'in' : 'out',
      channel,
      'transfer',
    );
  }
  return transaction(customer, second, random.integer(1, 30) * 100, 'out', 'atm', 'other');
}

type TransactionEvent = Extract<CustomerEvent, { type: 'transaction' }>;

function transaction(
  customer: Customer,
  second: number,
  amount: number,
  direction: TransactionEvent['direction'],
  channel: TransactionEvent['channel'],
  category: TransactionEvent['category'],
): CustomerEvent {
  return {
    id: '',
    customerId: customer.id,
    occurredAt: formatInstant(second),
    type: 'transaction',
    amount,
    direction,
    channel,
    category,
  };
}

function roundToFen(yuan: number): number {
  return toYuan(toFen(yuan));
}

function addLogins(
  month: TimedEvent[],
  random: Random,
  customer: Customer,
  activity: ActivityPlan,
  position: number,
  from: number,
  end: number,
): void {
  const count = activity.logins[position] ?? 0;
  const last = activity.lastLoginSecond;
  const pinned = last !== undefined && last >= from && last <= end;
  const until = pinned ? last : end;
  for (let made = 0; made < count; made++) {
    const second = pinned && made === 0 ? last : instantBetween(random, from, until);
    const channel = random.chance(0.9) ? 'mobile' : 'online';
    month.push(
      timed(second, {
        id: '',
        customerId: customer.id,
        occurredAt: formatInstant(second),
        type: 'login',
        channel,
      }),
    );
  }
}

type ContactEvent = Extract<CustomerEvent, { type: 'contact' }>;

/** What happens when a manager calls: most calls reach the customer, few end in interest. */
const managerContactOutcomes = new WeightedTable<ContactEvent['outcome']>([
  ['reached', 0.4],
  ['no_answer', 0.24],
  ['interested', 0.16],
  ['declined', 0.2],
]);

/**
 * Managers contact their book by value (DOMAIN.md §3): high-end customers several times a quarter,
 * mid customers about every other month, the rest now and then.
 */
function managerContactRate(latestAverage: number): number {
  if (latestAverage >= HIGH_END_FLOOR) return 1.5;
  if (latestAverage >= MID_FLOOR) return 0.6;
  return 0.35;
}

function addManagerContacts(
  month: TimedEvent[],
  random: Random,
  customer: Customer,
  activity: ActivityPlan,
  from: number,
  end: number,
): void {
  const managerId = customer.relationshipManagerId;
  if (managerId === null || customer.doNotContact) return;
  const count = Math.floor(managerContactRate(activity.latestAverage) + random.next());
  for (let made = 0; made < count; made++) {
    const second = instantBetween(random, from, end);
    const channel = managerChannel(random, customer.consents);
    const outcome = managerContactOutcomes.draw(random);
    month.push(timed(second, contact(customer, second, channel, outcome, managerId)));
  }
}

function managerChannel(random: Random, consents: readonly Consent[]): ContactEvent['channel'] {
  const canUse = (channel: Consent['channel']): boolean =>
    consents.some((consent) => consent.channel === channel && consent.granted);
  if (canUse('wecom') && random.chance(0.4)) return 'wecom';
  if (canUse('phone') && random.chance(0.85)) return 'phone';
  return 'branch';
}

function contact(
  customer: Customer,
  second: number,
  channel: ContactEvent['channel'],
  outcome: ContactEvent['outcome'],
  managerId: string | undefined,
): CustomerEvent {
  const event: ContactEvent = {
    id: '',
    customerId: customer.id,
    occurredAt: formatInstant(second),
    type: 'contact',
    channel,
    outcome,
  };
  if (managerId !== undefined) event.managerId = managerId;
  return event;
}

/** A period during which the bank may send marketing on a channel, and how often it does. */
interface MarketingWindow {
  channel: Consent['channel'];
  fromSecond: number;
  untilSecond: number;
  monthlyRate: number;
}

/** Campaign messages per month on each channel the bank broadcasts on. */
const campaignRates: Partial<Record<Consent['channel'], number>> = {
  sms: 0.5,
  app_push: 0.8,
  email: 0.3,
};

/** Marketing consents in force, and refusals recorded within the window (the opt-out moments). */
function marketingWindows(customer: Customer): MarketingWindow[] {
  if (customer.doNotContact) return [];
  const windows: MarketingWindow[] = [];
  for (const consent of customer.consents) {
    const monthlyRate = campaignRates[consent.channel];
    if (consent.purpose !== 'marketing' || !consent.granted || monthlyRate === undefined) continue;
    windows.push({
      channel: consent.channel,
      fromSecond: secondOfInstant(consent.recordedAt),
      untilSecond:
        consent.expiresAt === undefined ? Infinity : secondOfInstant(consent.expiresAt) - 1,
      monthlyRate,
    });
  }
  return windows;
}

function addCampaignContacts(
  month: TimedEvent[],
  random: Random,
  customer: Customer,
  windows: readonly MarketingWindow[],
  from: number,
  end: number,
): void {
  for (const window of windows) {
    const start = Math.max(from, window.fromSecond);
    const stop = Math.min(end, window.untilSecond);
    if (start > stop) continue;
    const count = Math.floor(window.monthlyRate + random.next());
    for (let made = 0; made < count; made++) {
      const second = instantBetween(random, start, stop);
      month.push(timed(second, contact(customer, second, window.channel, 'reached', undefined)));
    }
  }
  for (const consent of customer.consents) {
    if (consent.purpose !== 'marketing' || consent.granted) continue;
    const second = secondOfInstant(consent.recordedAt);
    if (second < from || second > end) continue;
    // A refusal recorded during the window is the customer opting out when contacted.
    month.push(timed(second, contact(customer, second, consent.channel, 'opted_out', undefined)));
  }
}

/** Products bought for a fixed term; their maturity is the re-marketing moment (产品到期再营销). */
const TERM_TYPES: ReadonlySet<Product['type']> = new Set([
  'time_deposit',
  'structured_deposit',
  'wealth',
]);
const ROLLOVER_CHANCE = 0.6;
const PAST_MATURITY_CHANCE = 0.35;
const SOLD_CONTACT_CHANCE = 0.4;
/** Maturities settle in the overnight batch, before the branch opens. */
const MATURITY_SECOND_OF_DAY = 3600;

/**
 * Purchases of holdings bought within the window, the maturity that funded a rollover, and
 * products that matured during the window and are no longer held. Few per customer, so planned
 * up front and slotted into their months.
 */
function planHoldingEvents(
  random: Random,
  context: GenerationContext,
  customer: Customer,
  activity: ActivityPlan,
): TimedEvent[] {
  const events: TimedEvent[] = [];
  const startDay = windowStartDay(context);
  for (const holding of customer.holdings) {
    if (holding.productType === 'demand_deposit' || holding.productType === 'loan') continue;
    const openedDay = dayOf(holding.openedAt);
    if (openedDay < startDay) continue;
    const product = context.shelf.byId(holding.productType, holding.productId);
    const purchaseSecond = openedDay * SECONDS_PER_DAY + random.integer(9 * 3600 + 1800, 16 * 3600);
    if (
      product?.termDays !== undefined &&
      TERM_TYPES.has(product.type) &&
      random.chance(ROLLOVER_CHANCE)
    ) {
      const previousOpening = openedDay - product.termDays;
      if (previousOpening * SECONDS_PER_DAY >= activity.openedSecond) {
        const principal =
          holding.amount / (1 + ((product.expectedAnnualYield ?? 0) * product.termDays) / 365);
        const maturitySecond = openedDay * SECONDS_PER_DAY + MATURITY_SECOND_OF_DAY;
        events.push(
          timed(
            maturitySecond,
            holdingEvent(
              customer,
              'maturity',
              holding.productId,
              roundToFen(principal),
              maturitySecond,
            ),
          ),
        );
      }
    }
    addPurchase(events, random, customer, holding, purchaseSecond);
  }
  addPastMaturity(events, random, context, customer, activity);
  return events;
}

function addPurchase(
  events: TimedEvent[],
  random: Random,
  customer: Customer,
  holding: Pick<Holding, 'productId' | 'amount'>,
  second: number,
): void {
  events.push(
    timed(second, holdingEvent(customer, 'purchase', holding.productId, holding.amount, second)),
  );
  const managerId = customer.relationshipManagerId;
  if (managerId === null || customer.doNotContact || !random.chance(SOLD_CONTACT_CHANCE)) return;
  // The manager's call that closed the sale, an hour or three before the order.
  const callSecond = second - random.integer(3600, 3 * 3600);
  events.push(timed(callSecond, contact(customer, callSecond, 'phone', 'sold', managerId)));
}

function addPastMaturity(
  events: TimedEvent[],
  random: Random,
  context: GenerationContext,
  customer: Customer,
  activity: ActivityPlan,
): void {
  if (customer.riskProfile === undefined || activity.latestAverage < EFFECTIVE_FLOOR) return;
  if (!random.chance(PAST_MATURITY_CHANCE)) return;
  const amount = Math.round(activity.latestAverage * (0.1 + 0.3 * random.next()));
  const candidates = ['wealth', 'structured_deposit', 'time_deposit'] as const;
  const products = candidates
    .flatMap((type) => context.shelf.eligible(type, customer.riskProfile, toFen(amount)))
    .filter((product) => product.termDays !== undefined && product.termDays <= 365);
  if (products.length === 0) return;
  const product = random.pick(products);
  const termDays = product.termDays ?? 0;
  const openedDay = dayOf(customer.openedAt);
  const earliest = Math.max(windowStartDay(context), openedDay + termDays);
  if (earliest > context.asOfDay - 1) return;
  const maturityDay = random.integer(earliest, context.asOfDay - 1);
  const maturitySecond = maturityDay * SECONDS_PER_DAY + MATURITY_SECOND_OF_DAY;
  const maturityAmount = roundToFen(
    amount * (1 + ((product.expectedAnnualYield ?? 0) * termDays) / 365),
  );
  events.push(
    timed(
      maturitySecond,
      holdingEvent(customer, 'maturity', product.id, maturityAmount, maturitySecond),
    ),
  );
  const purchaseDay = maturityDay - termDays;
  if (purchaseDay < windowStartDay(context)) return;
  const purchaseSecond = purchaseDay * SECONDS_PER_DAY + random.integer(9 * 3600 + 1800, 16 * 3600);
  addPurchase(events, random, customer, { productId: product.id, amount }, purchaseSecond);
}

function holdingEvent(
  customer: Customer,
  type: 'purchase' | 'maturity',
  productId: string,
  amount: number,
  second: number,
): CustomerEvent {
  return {
    id: '',
    customerId: customer.id,
    occurredAt: formatInstant(second),
    type,
    productId,
    amount,
  };
}
