// Contact plans (ABCD 分类, DOMAIN.md §3): who each manager should contact, when and why. Every plan
// item carries the reasons that put it there, so a manager (and an auditor) can see the rule behind it.
import type { ChannelKind, ContactRecord } from '@kequn/core';
import { addDays, daysBetween, localDate } from './calendar.js';
import type { ContactState } from './records.js';
import type { AbcdClass, BooksSettings } from './settings.js';

type PlanSettings = BooksSettings['contactPlan'];
type Outcome = ContactRecord['outcome'];

/** Outcomes where the customer was actually reached (有效联系); `no_answer` and `opted_out` are not. */
export const effectiveOutcomes: readonly Outcome[] = Object.freeze(['reached', 'interested', 'declined', 'sold']);

export function isEffective(outcome: Outcome): boolean {
  return effectiveOutcomes.includes(outcome);
}

/** A contact as the manager records it: the core contact record plus the next step they agreed. */
export interface ContactEntry {
  id: string;
  customerId: string;
  managerId: string;
  channel: ChannelKind;
  outcome: Outcome;
  occurredAt: string;
  note?: string;
  nextStep?: { on: string; note: string };
}

export interface ContactUpdate {
  state: ContactState;
  /** True when this contact moved the customer into the low-frequency pool. */
  movedToLowFrequency: boolean;
}

export function emptyContactState(customerId: string, managerId: string | null): ContactState {
  return { customerId, managerId, followUpsWithoutSale: 0, lowFrequency: false, recentContacts: [] };
}

function keepRecent(instants: readonly string[], newest: string, windowDays: number): string[] {
  const earliest = addDays(localDate(newest), -windowDays + 1);
  return instants.filter((instant) => localDate(instant) >= earliest);
}

function laterOf(a: string | undefined, b: string): string {
  return a === undefined || Date.parse(b) > Date.parse(a) ? b : a;
}

/**
 * Folds one contact into the customer's state. A sale resets the follow-up count and brings the
 * customer back from the low-frequency pool; an effective contact without a sale is a follow-up;
 * after `lowFrequencyAfterFollowUps` of them the customer moves to the pool.
 */
export function applyContact(state: ContactState, contact: ContactEntry, settings: PlanSettings): ContactUpdate {
  const effective = isEffective(contact.outcome);
  const sold = contact.outcome === 'sold';
  const followUps = sold ? 0 : state.followUpsWithoutSale + (effective ? 1 : 0);
  const lowFrequency = sold ? false : state.lowFrequency || followUps >= settings.lowFrequencyAfterFollowUps;
  const recent = keepRecent([...state.recentContacts, contact.occurredAt], laterOf(state.lastContactAt, contact.occurredAt), settings.frequencyCap.windowDays);
  const next: ContactState = {
    customerId: state.customerId,
    managerId: state.managerId,
    lastContactAt: laterOf(state.lastContactAt, contact.occurredAt),
    followUpsWithoutSale: followUps,
    lowFrequency,
    recentContacts: recent.sort((a, b) => Date.parse(a) - Date.parse(b)),
  };
  const lastEffective = effective ? laterOf(state.lastEffectiveContactAt, contact.occurredAt) : state.lastEffectiveContactAt;
  if (lastEffective !== undefined) next.lastEffectiveContactAt = lastEffective;
  const nextStep = contact.nextStep ?? state.nextStep;
  if (nextStep !== undefined && nextStep.on > localDate(contact.occurredAt)) next.nextStep = nextStep;
  return { state: next, movedToLowFrequency: lowFrequency && !state.lowFrequency };
}

export type PlanReason =
  | { kind: 'cadence'; classId: AbcdClass; cadenceDays: number; lastEffectiveContact: string | null }
  | { kind: 'lowFrequency'; cadenceDays: number; followUpsWithoutSale: number; lastEffectiveContact: string | null }
  | { kind: 'minimumContact'; limitDays: number; lastEffectiveContact: string | null }
  | { kind: 'maturity'; maturityDate: string }
  | { kind: 'dormant' }
  | { kind: 'handoffFirstContact'; caseId: string; due: string }
  | { kind: 'nextStep'; note: string };

/** What the plan needs to know about one managed customer. */
export interface PlanCustomer {
  customerId: string;
  /** The ABCD class; an unclassified customer is planned as D (assets and intent unknown). */
  classId: AbcdClass | undefined;
  state: ContactState | undefined;
  /** `holdings.nextMaturityDate`: the earliest maturity of a product the customer holds. */
  nextMaturityDate?: string;
  dormant: boolean;
  handoff?: { caseId: string; due: string };
}

export interface PlanItem {
  customerId: string;
  classId: AbcdClass;
  /** The day the contact is due; earlier than the plan date means it is overdue. */
  due: string;
  overdue: boolean;
  /** Everything that is due by then, most urgent first. */
  reasons: PlanReason[];
}

interface Trigger {
  on: string;
  reason: PlanReason;
}

function cadenceTrigger(customer: PlanCustomer, classId: AbcdClass, asOf: string, settings: PlanSettings): Trigger {
  const last = customer.state?.lastEffectiveContactAt;
  const lastDate = last === undefined ? null : localDate(last);
  if (customer.state?.lowFrequency === true) {
    const cadenceDays = settings.minimumContactDays;
    const on = lastDate === null ? asOf : addDays(lastDate, cadenceDays);
    return { on, reason: { kind: 'lowFrequency', cadenceDays, followUpsWithoutSale: customer.state.followUpsWithoutSale, lastEffectiveContact: lastDate } };
  }
  const cadenceDays = settings.cadenceDays[classId];
  const on = lastDate === null ? asOf : addDays(lastDate, cadenceDays);
  return { on, reason: { kind: 'cadence', classId, cadenceDays, lastEffectiveContact: lastDate } };
}

function minimumTrigger(customer: PlanCustomer, asOf: string, settings: PlanSettings): Trigger {
  const last = customer.state?.lastEffectiveContactAt;
  const lastDate = last === undefined ? null : localDate(last);
  const on = lastDate === null ? asOf : addDays(lastDate, settings.minimumContactDays);
  return { on, reason: { kind: 'minimumContact', limitDays: settings.minimumContactDays, lastEffectiveContact: lastDate } };
}

function triggersOf(customer: PlanCustomer, classId: AbcdClass, asOf: string, settings: PlanSettings): Trigger[] {
  const triggers = [cadenceTrigger(customer, classId, asOf, settings), minimumTrigger(customer, asOf, settings)];
  const maturity = customer.nextMaturityDate;
  if (maturity !== undefined && maturity >= asOf) {
    triggers.push({ on: addDays(maturity, -settings.maturityLeadDays), reason: { kind: 'maturity', maturityDate: maturity } });
  }
  if (customer.dormant) triggers.push({ on: asOf, reason: { kind: 'dormant' } });
  if (customer.handoff !== undefined) {
    triggers.push({ on: asOf, reason: { kind: 'handoffFirstContact', caseId: customer.handoff.caseId, due: customer.handoff.due } });
  }
  const nextStep = customer.state?.nextStep;
  if (nextStep !== undefined) triggers.push({ on: nextStep.on, reason: { kind: 'nextStep', note: nextStep.note } });
  return triggers;
}

/** Reasons in the order a manager should read them: hand-off duty, then rules, then opportunities. */
const reasonRank: Record<PlanReason['kind'], number> = {
  handoffFirstContact: 0,
  minimumContact: 1,
  maturity: 2,
  nextStep: 3,
  cadence: 4,
  lowFrequency: 4,
  dormant: 5,
};

/** One item per customer: due on the earliest trigger, carrying every reason due by then. */
export function planItem(customer: PlanCustomer, asOf: string, settings: PlanSettings): PlanItem {
  const classId = customer.classId ?? 'd';
  const triggers = triggersOf(customer, classId, asOf, settings);
  const due = triggers.reduce((earliest, trigger) => (trigger.on < earliest ? trigger.on : earliest), triggers[0]?.on ?? asOf);
  const horizon = due > asOf ? due : asOf;
  const reasons = triggers
    .filter((trigger) => trigger.on <= horizon)
    .map((trigger) => trigger.reason)
    .filter((reason) => reason.kind !== 'minimumContact' || daysSinceLast(reason, horizon) >= reason.limitDays)
    .sort((a, b) => reasonRank[a.kind] - reasonRank[b.kind]);
  return { customerId: customer.customerId, classId, due, overdue: due < asOf, reasons };
}

/** The minimum-contact rule is a reason only once it is actually reached, not as a far-off backstop. */
function daysSinceLast(reason: Extract<PlanReason, { kind: 'minimumContact' }>, on: string): number {
  return reason.lastEffectiveContact === null ? Number.POSITIVE_INFINITY : daysBetween(reason.lastEffectiveContact, on);
}

const classRank: Record<AbcdClass, number> = { a: 0, b: 1, c: 2, d: 3 };

function byUrgency(a: PlanItem, b: PlanItem): number {
  if (a.due !== b.due) return a.due < b.due ? -1 : 1;
  if (a.classId !== b.classId) return classRank[a.classId] - classRank[b.classId];
  return a.customerId.localeCompare(b.customerId);
}

export interface ContactPlan {
  managerId: string;
  asOf: string;
  items: PlanItem[];
}

/** The manager's plan: every customer in the book with the day they are due, most urgent first. */
export function buildContactPlan(managerId: string, customers: Iterable<PlanCustomer>, asOf: string, settings: PlanSettings): ContactPlan {
  const items: PlanItem[] = [];
  for (const customer of customers) items.push(planItem(customer, asOf, settings));
  return { managerId, asOf, items: items.sort(byUrgency) };
}

/** The day's list (今日待办): everything due on or before `date`, overdue first. */
export function dailyList(plan: ContactPlan, date: string): PlanItem[] {
  return plan.items.filter((item) => item.due <= date);
}

export interface ContactViolation {
  customerId: string;
  managerId: string;
  kind: 'under_minimum' | 'over_frequency_cap';
  explanation: string;
}

/** Breaches of the minimum-contact rule and of the frequency cap, on `asOf`. */
export function contactViolations(state: ContactState, managerId: string, asOf: string, settings: PlanSettings): ContactViolation[] {
  const violations: ContactViolation[] = [];
  const last = state.lastEffectiveContactAt === undefined ? undefined : localDate(state.lastEffectiveContactAt);
  if (last === undefined || daysBetween(last, asOf) > settings.minimumContactDays) {
    violations.push({
      customerId: state.customerId,
      managerId,
      kind: 'under_minimum',
      explanation: `No effective contact ${last === undefined ? 'on record' : `since ${last}`}; the rule is at least one every ${settings.minimumContactDays} days.`,
    });
  }
  const cap = settings.frequencyCap;
  const earliest = addDays(asOf, -cap.windowDays + 1);
  const inWindow = state.recentContacts.filter((instant) => localDate(instant) >= earliest && localDate(instant) <= asOf).length;
  if (inWindow > cap.maxContacts) {
    violations.push({
      customerId: state.customerId,
      managerId,
      kind: 'over_frequency_cap',
      explanation: `${inWindow} contacts in the ${cap.windowDays} days to ${asOf}; the cap is ${cap.maxContacts}. Space contacts out to avoid fatigue.`,
    });
  }
  return violations;
}
