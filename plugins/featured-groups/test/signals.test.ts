// Each featured group's signal (DOMAIN.md §2): a customer built to match lands in that group alone,
// and a near miss — one step short of the signal — lands in none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Customer, SegmentMemberships } from '@kequn/core';
import { createTestKernel, type TestKernel } from '@kequn/testing';
import {
  FEATURED_GROUPS_ATTRIBUTE,
  featuredGroupIds,
  featuredGroupsOf,
  featuredGroupsPlugin,
  featuredGroupsSettingsSchema,
  type FeaturedGroupId,
} from '../src/index.js';
import { asOf, bornYearsBefore, buildCustomer, type CustomerChanges } from './customers.js';

interface SignalCase {
  group: FeaturedGroupId;
  matches: Record<string, CustomerChanges>;
  nearMisses: Record<string, CustomerChanges>;
}

const structuredDeposit = {
  productId: 'SD-2026-07',
  productType: 'structured_deposit',
  amount: 50_000,
  openedAt: '2026-07-01',
  maturityDate: '2027-01-01',
} as const;

const signalCases: SignalCase[] = [
  {
    group: 'executives',
    matches: {
      'an executive': { profile: { occupation: 'executive' } },
      'a business owner': { profile: { occupation: 'business_owner' } },
    },
    nearMisses: { 'a civil servant': { profile: { occupation: 'civil_servant' } } },
  },
  {
    group: 'elderly',
    matches: {
      'a customer turning 60 today': { profile: { birthDate: bornYearsBefore(asOf, 60) } },
    },
    nearMisses: {
      'a customer turning 60 tomorrow': { profile: { birthDate: bornYearsBefore(asOf, 60, 1) } },
    },
  },
  {
    group: 'merchants',
    matches: {
      'a merchant by occupation': { profile: { occupation: 'merchant' } },
      'a customer settling 50,000 a month': { behaviour: { monthlySettlement: 50_000 } },
      'a POS merchant': { behaviour: { posMerchant: true } },
    },
    nearMisses: {
      'a customer settling 49,999.99 a month': { behaviour: { monthlySettlement: 49_999.99 } },
    },
  },
  {
    group: 'women',
    matches: {
      'a woman of 40': { profile: { gender: 'female', birthDate: bornYearsBefore(asOf, 40) } },
    },
    nearMisses: {
      'a girl of 17': { profile: { gender: 'female', birthDate: bornYearsBefore(asOf, 17) } },
      'a customer of unknown gender': { profile: { gender: 'unknown' } },
    },
  },
  {
    group: 'rural',
    matches: {
      'a rural farmer': { profile: { occupation: 'farmer', rural: true } },
      'a seasonal-credit borrower': { behaviour: { seasonalCredit: true } },
    },
    nearMisses: {
      'a farmer living in town': { profile: { occupation: 'farmer', rural: false } },
      'a rural employee': { profile: { rural: true } },
    },
  },
  {
    group: 'payroll',
    matches: {
      'a customer paid by payroll agreement': {
        behaviour: { payroll: { employerId: 'EMP-0001', monthlyAmount: 8_000 } },
      },
    },
    nearMisses: {
      'an employee of a known employer without payroll': { profile: { employerId: 'EMP-0001' } },
    },
  },
  {
    group: 'young',
    matches: {
      'a customer turning 18 today': { profile: { birthDate: bornYearsBefore(asOf, 18) } },
      'a customer of 35 turning 36 tomorrow': {
        profile: { birthDate: bornYearsBefore(asOf, 36, 1) },
      },
    },
    nearMisses: {
      'a customer turning 18 tomorrow': { profile: { birthDate: bornYearsBefore(asOf, 18, 1) } },
      'a customer turning 36 today': { profile: { birthDate: bornYearsBefore(asOf, 36) } },
    },
  },
  {
    group: 'structuredDepositSeekers',
    matches: {
      'a holder of a structured deposit': { holdings: [structuredDeposit] },
      'a conservative (C2) customer turning 50 today': {
        profile: { birthDate: bornYearsBefore(asOf, 50) },
        riskProfile: 'C2',
      },
    },
    nearMisses: {
      'a conservative (C2) customer turning 50 tomorrow': {
        profile: { birthDate: bornYearsBefore(asOf, 50, 1) },
        riskProfile: 'C2',
      },
      'a balanced (C3) customer of 55': {
        profile: { birthDate: bornYearsBefore(asOf, 55) },
        riskProfile: 'C3',
      },
      'a holder of a time deposit': {
        holdings: [{ ...structuredDeposit, productType: 'time_deposit' }],
      },
    },
  },
  {
    group: 'smallBusinesses',
    matches: {
      'an individual business': { profile: { occupation: 'individual_business' } },
      'a business-account holder': { behaviour: { hasBusinessAccount: true } },
    },
    nearMisses: { 'a freelancer': { profile: { occupation: 'freelancer' } } },
  },
];

interface Example {
  group: FeaturedGroupId;
  description: string;
  customer: Customer;
}

function examplesOf(kind: 'matches' | 'nearMisses'): Example[] {
  return signalCases.flatMap(({ group, ...examples }) =>
    Object.entries(examples[kind]).map(([description, changes], index) => ({
      group,
      description,
      customer: buildCustomer(`${group}-${kind}-${index}`, changes),
    })),
  );
}

const matches = examplesOf('matches');
const nearMisses = examplesOf('nearMisses');
const defaults = featuredGroupsSettingsSchema.parse({});

describe('featured-group signals', () => {
  let t: TestKernel;
  let memberships: SegmentMemberships;
  const baseline = buildCustomer('baseline');

  beforeAll(async () => {
    const customers = [baseline, ...[...matches, ...nearMisses].map((example) => example.customer)];
    t = await createTestKernel({ plugins: [featuredGroupsPlugin], customers, asOf });
    memberships = await t.model.evaluate('featured-groups');
  });
  afterAll(() => t.dispose());

  function groupsHolding(customer: Customer, segments = memberships): FeaturedGroupId[] {
    const index = t.model.table.indexOf(customer.id);
    if (index === undefined) throw new Error(`customer ${customer.id} was not loaded`);
    return featuredGroupIds.filter((group) => segments.get(group)?.has(index) === true);
  }

  it('covers every one of the nine groups with a matching example and a near miss', () => {
    expect(new Set(matches.map((example) => example.group))).toEqual(new Set(featuredGroupIds));
    expect(new Set(nearMisses.map((example) => example.group))).toEqual(new Set(featuredGroupIds));
  });

  it('leaves the baseline customer out of every group', () => {
    expect(featuredGroupsOf(baseline, asOf, defaults)).toEqual([]);
    expect(groupsHolding(baseline)).toEqual([]);
  });

  it.each(matches)('puts $description in $group and nowhere else', ({ group, customer }) => {
    expect(featuredGroupsOf(customer, asOf, defaults)).toEqual([group]);
    expect(groupsHolding(customer)).toEqual([group]);
  });

  it.each(nearMisses)('leaves $description out of $group', ({ customer }) => {
    expect(featuredGroupsOf(customer, asOf, defaults)).toEqual([]);
    expect(groupsHolding(customer)).toEqual([]);
  });

  it('lets a customer be in several groups: a 65-year-old woman paid by payroll is elderly, a woman and payroll', async () => {
    const customer = buildCustomer('overlap-65-female-payroll', {
      profile: { gender: 'female', birthDate: bornYearsBefore(asOf, 65) },
      behaviour: { payroll: { employerId: 'EMP-0002', monthlyAmount: 6_500 } },
    });
    t.model.upsert(customer);
    const index = t.model.table.indexOf(customer.id) ?? -1;
    const stored = t.model.table.value(index, FEATURED_GROUPS_ATTRIBUTE);

    expect(featuredGroupsOf(customer, asOf, defaults)).toEqual(['elderly', 'women', 'payroll']);
    expect(Array.isArray(stored) ? [...stored].sort() : stored).toEqual([
      'elderly',
      'payroll',
      'women',
    ]);
    expect(groupsHolding(customer, await t.model.evaluate('featured-groups'))).toEqual([
      'elderly',
      'women',
      'payroll',
    ]);
  });
});

describe('signals follow the bank’s settings', () => {
  const sixty = buildCustomer('sixty', { profile: { birthDate: bornYearsBefore(asOf, 60) } });
  const smallPayroll = buildCustomer('small-payroll', {
    behaviour: { payroll: { employerId: 'EMP-0003', monthlyAmount: 4_999 } },
  });
  const offlineYoung = buildCustomer('offline-young', {
    profile: { birthDate: bornYearsBefore(asOf, 25) },
    behaviour: { mobileBankingActive: false },
  });
  const posMerchant = buildCustomer('pos', { behaviour: { posMerchant: true } });

  it('moves the elderly line with elderly.minimumAge', () => {
    const settings = featuredGroupsSettingsSchema.parse({ elderly: { minimumAge: 65 } });
    expect(featuredGroupsOf(sixty, asOf, defaults)).toContain('elderly');
    expect(featuredGroupsOf(sixty, asOf, settings)).not.toContain('elderly');
  });

  it('ignores payroll below payroll.minimumMonthlyAmount', () => {
    const settings = featuredGroupsSettingsSchema.parse({
      payroll: { minimumMonthlyAmount: 5_000 },
    });
    expect(featuredGroupsOf(smallPayroll, asOf, defaults)).toContain('payroll');
    expect(featuredGroupsOf(smallPayroll, asOf, settings)).not.toContain('payroll');
  });

  it('asks young customers for digital activity only when young.requireMobileBanking is on', () => {
    const settings = featuredGroupsSettingsSchema.parse({ young: { requireMobileBanking: true } });
    expect(featuredGroupsOf(offlineYoung, asOf, defaults)).toContain('young');
    expect(featuredGroupsOf(offlineYoung, asOf, settings)).not.toContain('young');
  });

  it('drops POS merchants when merchants.includePosMerchants is off', () => {
    const settings = featuredGroupsSettingsSchema.parse({
      merchants: { includePosMerchants: false },
    });
    expect(featuredGroupsOf(posMerchant, asOf, defaults)).toContain('merchants');
    expect(featuredGroupsOf(posMerchant, asOf, settings)).not.toContain('merchants');
  });
});
