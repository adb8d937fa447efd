import { describe, expect, it } from 'vitest';
import type { Customer, CustomerEvent } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { booksSettingsSchema, bookSummary, CompletenessTally, customerKpiFact, formatBookSummary, KpiTally, profileCompleteness, type HandoffCase } from '../src/index.js';

const settings = booksSettingsSchema.parse({});
const base = createSyntheticBank({ customers: 1, seed: 2 }).customerAt(0);

function customerWith(overrides: Partial<Customer>, balances: readonly [string, number][]): Customer {
  return {
    ...base,
    ...overrides,
    assets: { currentAum: balances.at(-1)?.[1] ?? 0, monthlyAverages: balances.map(([month, averageDailyBalance]) => ({ month, averageDailyBalance })) },
  };
}

function event(partial: { type: 'transaction' } | { type: 'contact'; outcome: 'reached' | 'no_answer' }, on: string): CustomerEvent {
  const common = { id: `${partial.type}-${on}`, customerId: base.id, occurredAt: `${on}T10:00:00+08:00` };
  if (partial.type === 'transaction') return { ...common, type: 'transaction', amount: 100, direction: 'in', channel: 'mobile', category: 'other' };
  return { ...common, type: 'contact', channel: 'phone', outcome: partial.outcome };
}

const period = { from: '2026-07-01', to: '2026-09-30' };

describe('customer files (建档率)', () => {
  it('names each section that is filled and calls a file full only with all five', () => {
    const full = customerWith(
      { riskProfile: 'C3', profile: { ...base.profile, gender: 'female', occupation: 'executive', city: '杭州', family: { maritalStatus: 'married', children: 1, dependants: 1, recordedAt: '2026-03-01' } }, behaviour: { ...base.behaviour, lastTransactionAt: '2026-10-01T09:00:00+08:00' } },
      [['2026-08', 1], ['2026-09', 1], ['2026-10', 1]],
    );
    const withHoldings = { ...full, holdings: base.holdings.length > 0 ? base.holdings : [{ productId: 'P1', productType: 'wealth' as const, amount: 1, openedAt: '2026-01-01' }] };
    expect(profileCompleteness(withHoldings, '2026-10-02T09:00:00+08:00', settings.completeness)).toMatchObject({ full: true, ratio: 1 });
    const { family: _family, ...withoutFamily } = withHoldings.profile;
    const noFamily = profileCompleteness({ ...withHoldings, profile: withoutFamily }, undefined, settings.completeness);
    expect(noFamily).toMatchObject({ full: false, ratio: 0.6, sections: { family: false, contactHistory: false, basicInfo: true } });
  });

  it('measures each band against its own target: 100% from 500k, 70% from 50k', () => {
    const tally = new CompletenessTally(settings.completeness);
    const file = (full: boolean) => ({ customerId: 'x', sections: { basicInfo: full, family: full, assetStructure: full, transactionHistory: full, contactHistory: full }, ratio: full ? 1 : 0, full });
    tally.add(file(true), 600_000, 'BR1', 'V1');
    tally.add(file(false), 700_000, 'BR1', 'V1');
    for (let index = 0; index < 7; index++) tally.add(file(true), 100_000, 'BR1', 'C1');
    for (let index = 0; index < 3; index++) tally.add(file(false), 100_000, 'BR1', 'C1');
    tally.add(file(false), 10_000, 'BR1', 'C1');
    const report = tally.report();
    expect(report.bank.high_end).toMatchObject({ customers: 2, fullFiles: 1, rate: 0.5, meetsTarget: false });
    expect(report.bank.mid).toMatchObject({ customers: 10, rate: 0.7, meetsTarget: true });
    expect(report.byManager.get('C1')?.high_end.rate).toBeNull();
  });
});

describe('book KPIs', () => {
  it('measures coverage, cross-sell, AUM uplift, tier moves and dormant reactivation per customer', () => {
    const customer = customerWith({ relationshipManagerId: 'M1', branchId: 'BR1' }, [['2026-04', 40_000], ['2026-05', 40_000], ['2026-06', 40_000], ['2026-09', 80_000]]);
    const fact = customerKpiFact(customer, period, settings.kpi, {
      events: [event({ type: 'contact', outcome: 'no_answer' }, '2026-07-02'), event({ type: 'contact', outcome: 'reached' }, '2026-07-03'), event({ type: 'transaction' }, '2026-08-01')],
    });
    expect(fact).toMatchObject({ aumStart: 40_000, aumEnd: 80_000, tierMove: 'upgrade', effectiveContacts: 1, dormantAtStart: true, reactivated: true });
  });

  it('adds customers and hand-offs up to manager, branch and bank figures', () => {
    const tally = new KpiTally(period);
    const common = { productTypes: 2, tierMove: 'none' as const, dormantAtStart: false, reactivated: false };
    tally.addCustomer({ ...common, customerId: 'A', branchId: 'BR1', managerId: 'M1', aumStart: 100, aumEnd: 150, effectiveContacts: 1 });
    tally.addCustomer({ ...common, customerId: 'B', branchId: 'BR1', managerId: 'M2', aumStart: 100, aumEnd: 50, effectiveContacts: 0, productTypes: 4 });
    const handoff = (id: string, due: string, withinSla: boolean): HandoffCase => ({
      id, customerId: id, branchId: 'BR1', status: 'closed', fromTier: 'mid', toTier: 'high_end', basis: 1, senderId: 'M1', receiverId: 'M2', openedAt: '2026-07-01T00:00:00Z', firstContactDue: due,
      firstContact: { at: `${due}T09:00:00+08:00`, channel: 'phone', contactId: id, withinSla },
    });
    tally.addHandoff(handoff('H1', '2026-08-01', true));
    tally.addHandoff(handoff('H2', '2026-08-02', false));
    tally.addHandoff(handoff('H3', '2026-12-01', false));
    const report = tally.report();
    expect(report.bank).toMatchObject({ customers: 2, contactCoverage: 0.5, crossSellRate: 3, aumUplift: 0, handoffsDue: 2, handoffSlaCompliance: 0.5 });
    expect(report.byManager.get('M1')).toMatchObject({ contactCoverage: 1, aumUplift: 0.5, handoffsDue: 0, handoffSlaCompliance: null });
    expect(report.byManager.get('M2')).toMatchObject({ handoffsDue: 2, handoffsWithinSla: 1 });
  });

  it('summarises a synthetic bank, with and without events', () => {
    const bank = createSyntheticBank({ customers: 400, seed: 4 });
    const withEvents = bookSummary({ customers: bank.customers(), period, eventsOf: (customer) => bank.eventsOf(customer) });
    expect(withEvents.bank.customers).toBe(400);
    expect(withEvents.bank.contactCoverage).toBeGreaterThan(0);
    expect(withEvents.completeness).not.toBeNull();
    const withoutEvents = bookSummary({ customers: bank.customers(), period });
    expect(withoutEvents.bank.contactCoverage).toBeNull();
    expect(formatBookSummary(withoutEvents, 'en')).toContain('Contact coverage');
    expect(formatBookSummary(withEvents)).toContain('建档率');
  });
});
