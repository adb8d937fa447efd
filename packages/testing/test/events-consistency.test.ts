// Events are replayed from the same plan as the customer, so every behaviour field can be
// recomputed from them. These tests recompute them.
import type { Customer, CustomerEvent } from '@kequn/core';
import { describe, expect, it } from 'vitest';
import { createSyntheticBank } from '../src/index.js';

const bank = createSyntheticBank({ seed: 21, customers: 600 });
const histories = Array.from({ length: bank.customerCount }, (_, index) => ({
  customer: bank.customerAt(index),
  events: [...bank.eventsOf(index)],
}));

const WINDOW_START = '2025-11-01T00:00:00+08:00';
const AS_OF_END = '2026-10-31T23:59:59+08:00';
const LAST_THREE_MONTHS_START = '2026-08-01T00:00:00+08:00';

function ofType<T extends CustomerEvent['type']>(events: readonly CustomerEvent[], type: T) {
  return events.filter(
    (event): event is Extract<CustomerEvent, { type: T }> => event.type === type,
  );
}

function grantedMarketing(customer: Customer, channel: string): boolean {
  return customer.consents.some(
    (consent) => consent.channel === channel && consent.purpose === 'marketing' && consent.granted,
  );
}

describe('events agree with the customer they belong to', () => {
  it('stay in the twelve-month window, after the account opened, in time order with unique ids', () => {
    for (const { customer, events } of histories) {
      expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
      const misplaced = events.filter(
        (event, position) =>
          event.customerId !== customer.id ||
          event.occurredAt < WINDOW_START ||
          event.occurredAt > AS_OF_END ||
          event.occurredAt.slice(0, 10) < customer.openedAt ||
          event.occurredAt < (events[position - 1]?.occurredAt ?? ''),
      );
      expect(misplaced).toEqual([]);
    }
  });

  it('end with the transaction at behaviour.lastTransactionAt, or have none if it is older', () => {
    for (const { customer, events } of histories) {
      const transactions = ofType(events, 'transaction');
      const last = customer.behaviour.lastTransactionAt;
      if (last === undefined || last < WINDOW_START) {
        expect(transactions).toHaveLength(0);
        continue;
      }
      expect(transactions.at(-1)?.occurredAt).toBe(last);
    }
  });

  it('end with the login at behaviour.lastLoginAt, or have none if it is older', () => {
    for (const { customer, events } of histories) {
      const logins = ofType(events, 'login');
      const last = customer.behaviour.lastLoginAt;
      if (last === undefined || last < WINDOW_START) {
        expect(logins).toHaveLength(0);
        continue;
      }
      expect(logins.at(-1)?.occurredAt).toBe(last);
    }
  });

  it('average behaviour.monthlyTransactions over the last three months', () => {
    for (const { customer, events } of histories) {
      const recent = ofType(events, 'transaction').filter(
        (event) => event.occurredAt >= LAST_THREE_MONTHS_START,
      );
      expect(recent.length / 3).toBeCloseTo(customer.behaviour.monthlyTransactions, 1);
    }
  });

  it('credit the salary of payroll customers every month on the employer’s payday', () => {
    const paydays = new Map(bank.employers.map((employer) => [employer.id, employer.payday]));
    const payrollCustomers = histories.filter(
      ({ customer }) => customer.behaviour.payroll !== undefined,
    );
    expect(payrollCustomers.length).toBeGreaterThan(100);
    for (const { customer, events } of payrollCustomers) {
      const credits = ofType(events, 'transaction').filter((event) => event.category === 'payroll');
      const payroll = customer.behaviour.payroll;
      if (customer.openedAt < WINDOW_START) expect(credits.length).toBe(12);
      for (const credit of credits) {
        expect(credit.amount).toBe(payroll?.monthlyAmount);
        expect(Number(credit.occurredAt.slice(8, 10))).toBe(paydays.get(payroll?.employerId ?? ''));
      }
    }
    const others = histories.filter(({ customer }) => customer.behaviour.payroll === undefined);
    for (const { events } of others) {
      expect(ofType(events, 'transaction').some((event) => event.category === 'payroll')).toBe(
        false,
      );
    }
  });

  it('record a purchase for every holding bought within the window', () => {
    let checked = 0;
    for (const { customer, events } of histories) {
      const purchases = ofType(events, 'purchase');
      for (const holding of customer.holdings) {
        const bought = holding.productType !== 'demand_deposit' && holding.productType !== 'loan';
        if (!bought || holding.openedAt < WINDOW_START.slice(0, 10)) continue;
        checked += 1;
        const purchase = purchases.find(
          (event) =>
            event.productId === holding.productId && event.occurredAt.startsWith(holding.openedAt),
        );
        expect(purchase?.amount).toBe(holding.amount);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('include maturities, contacts and purchases somewhere in the population', () => {
    const all = histories.flatMap(({ events }) => events);
    for (const type of ['transaction', 'login', 'contact', 'purchase', 'maturity'] as const) {
      expect(ofType(all, type).length).toBeGreaterThan(0);
    }
  });

  it('contact customers only through their manager or a channel they consented to', () => {
    for (const { customer, events } of histories) {
      for (const contact of ofType(events, 'contact')) {
        if (contact.outcome === 'opted_out') continue;
        expect(customer.doNotContact).toBe(false);
        if (contact.managerId !== undefined) {
          expect(contact.managerId).toBe(customer.relationshipManagerId);
          continue;
        }
        expect(grantedMarketing(customer, contact.channel)).toBe(true);
      }
    }
  });

  it('show no activity at all in the last 180 days of a dormant customer', () => {
    const halfYearAgo = '2026-05-04T23:59:59+08:00';
    for (const { customer, events } of histories) {
      const last = customer.behaviour.lastTransactionAt;
      if (last !== undefined && last >= halfYearAgo) continue;
      expect(
        ofType(events, 'transaction').filter((event) => event.occurredAt >= halfYearAgo),
      ).toHaveLength(0);
      expect(
        ofType(events, 'login').filter((event) => event.occurredAt >= halfYearAgo),
      ).toHaveLength(0);
    }
  });
});
