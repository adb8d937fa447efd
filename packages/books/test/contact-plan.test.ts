import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyContact,
  booksSettingsSchema,
  buildContactPlan,
  contactViolations,
  dailyList,
  emptyContactState,
  planItem,
  type ContactEntry,
  type ContactState,
  type PlanCustomer,
} from '../src/index.js';

const settings = booksSettingsSchema.parse({}).contactPlan;

function contact(day: string, outcome: ContactEntry['outcome'], id = day): ContactEntry {
  return { id, customerId: 'C1', managerId: 'M1', channel: 'phone', outcome, occurredAt: `${day}T10:00:00+08:00` };
}

function stateAfter(contacts: readonly ContactEntry[]): ContactState {
  return contacts.reduce((state, entry) => applyContact(state, entry, settings).state, emptyContactState('C1', 'M1'));
}

function customer(state: ContactState | undefined, extra: Partial<PlanCustomer> = {}): PlanCustomer {
  return { customerId: 'C1', classId: 'b', state, dormant: false, ...extra };
}

describe('contact cadence (ABCD)', () => {
  it('schedules the next contact one class cadence after the last effective contact', () => {
    const state = stateAfter([contact('2026-11-02', 'reached')]);
    expect(planItem(customer(state, { classId: 'a' }), '2026-11-03', settings)).toMatchObject({ due: '2026-11-09', overdue: false, reasons: [{ kind: 'cadence', classId: 'a', cadenceDays: 7 }] });
    expect(planItem(customer(state, { classId: 'c' }), '2026-11-03', settings).due).toBe('2026-12-02');
    expect(planItem(customer(state, { classId: undefined }), '2026-11-03', settings).due).toBe('2027-01-31');
  });

  it('does not count an unanswered call as an effective contact', () => {
    const state = stateAfter([contact('2026-11-02', 'reached'), contact('2026-11-05', 'no_answer')]);
    expect(state.lastEffectiveContactAt).toBe('2026-11-02T10:00:00+08:00');
    expect(planItem(customer(state), '2026-11-06', settings).due).toBe('2026-11-16');
  });

  it('explains every reason due by the item date: hand-off duty first, then maturity and cadence', () => {
    const state = stateAfter([contact('2026-10-20', 'interested')]);
    const item = planItem(customer(state, { nextMaturityDate: '2026-11-15', handoff: { caseId: 'H1', due: '2026-11-04' } }), '2026-11-03', settings);
    expect(item.due).toBe('2026-11-01');
    expect(item.overdue).toBe(true);
    expect(item.reasons.map((reason) => reason.kind)).toEqual(['handoffFirstContact', 'maturity', 'cadence']);
  });

  it('plans a never-contacted customer today and names the minimum-contact rule', () => {
    const item = planItem(customer(undefined, { dormant: true }), '2026-11-03', settings);
    expect(item.due).toBe('2026-11-03');
    expect(item.reasons.map((reason) => reason.kind)).toEqual(['minimumContact', 'cadence', 'dormant']);
  });

  it('keeps the daily list to what is due, most urgent first', () => {
    const plan = buildContactPlan(
      'M1',
      [
        { customerId: 'C2', classId: 'c', state: { ...stateAfter([contact('2026-10-01', 'reached')]), customerId: 'C2' }, dormant: false },
        { customerId: 'C1', classId: 'a', state: stateAfter([contact('2026-10-30', 'reached')]), dormant: false },
        { customerId: 'C3', classId: 'd', state: { ...stateAfter([contact('2026-11-01', 'reached')]), customerId: 'C3' }, dormant: false },
      ],
      '2026-11-03',
      settings,
    );
    expect(plan.items.map((item) => item.customerId)).toEqual(['C2', 'C1', 'C3']);
    expect(dailyList(plan, '2026-11-03').map((item) => item.customerId)).toEqual(['C2']);
    expect(dailyList(plan, '2026-11-06').map((item) => item.customerId)).toEqual(['C2', 'C1']);
  });
});

describe('the low-frequency pool', () => {
  it('takes a customer in after five follow-ups without a sale and plans them at the minimum cadence', () => {
    const four = stateAfter(['2026-09-01', '2026-09-08', '2026-09-15', '2026-09-22'].map((day) => contact(day, 'declined')));
    expect(four.lowFrequency).toBe(false);
    const fifth = applyContact(four, contact('2026-09-29', 'interested'), settings);
    expect(fifth.movedToLowFrequency).toBe(true);
    // In the pool the class cadence gives way to the minimum-contact rule, which falls due the same day.
    expect(planItem(customer(fifth.state, { classId: 'a' }), '2026-10-01', settings)).toMatchObject({
      due: '2026-12-28',
      reasons: [
        { kind: 'minimumContact', limitDays: 90 },
        { kind: 'lowFrequency', cadenceDays: 90, followUpsWithoutSale: 5 },
      ],
    });
  });

  it('brings the customer back after a sale', () => {
    const pooled = stateAfter(['2026-09-01', '2026-09-08', '2026-09-15', '2026-09-22', '2026-09-29'].map((day) => contact(day, 'reached')));
    const sold = applyContact(pooled, contact('2026-10-06', 'sold'), settings).state;
    expect(sold).toMatchObject({ lowFrequency: false, followUpsWithoutSale: 0 });
  });

  it('never enters the pool while a sale comes at least every fifth follow-up', () => {
    const outcome = fc.constantFrom<ContactEntry['outcome']>('reached', 'interested', 'declined', 'no_answer');
    fc.assert(
      fc.property(fc.array(fc.array(outcome, { maxLength: 4 }), { maxLength: 8 }), (rounds) => {
        let day = 0;
        let state = emptyContactState('C1', 'M1');
        for (const round of rounds) {
          for (const result of [...round, 'sold' as const]) {
            day += 1;
            const on = new Date(Date.UTC(2026, 0, day)).toISOString().slice(0, 10);
            state = applyContact(state, contact(on, result, `c${day}`), settings).state;
            expect(state.lowFrequency).toBe(false);
          }
        }
      }),
    );
  });
});

describe('contact violations', () => {
  it('reports a customer not reached within 90 days', () => {
    const state = stateAfter([contact('2026-07-01', 'reached')]);
    expect(contactViolations(state, 'M1', '2026-10-01', settings).map((violation) => violation.kind)).toEqual(['under_minimum']);
    expect(contactViolations(state, 'M1', '2026-09-29', settings)).toEqual([]);
  });

  it('reports more contacts than the frequency cap allows in its window', () => {
    const days = Array.from({ length: 9 }, (_, index) => `2026-10-${String(index + 10).padStart(2, '0')}`);
    const state = stateAfter(days.map((day) => contact(day, 'no_answer')).concat(contact('2026-10-19', 'reached', 'last')));
    expect(contactViolations(state, 'M1', '2026-10-20', settings).map((violation) => violation.kind)).toEqual(['over_frequency_cap']);
    expect(contactViolations(state, 'M1', '2026-11-20', settings)).toEqual([]);
  });
});
