// The realism the rest of Kequn relies on, measured over 50,000 customers: tier mix, the 20/80
// rule, demographics, featured groups, dormancy, consents and managed books.
import type { Customer } from '@kequn/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSyntheticBank, type SyntheticBank } from '../src/index.js';

const POPULATION = 50_000;
const AS_OF_END = Date.parse('2026-10-31T23:59:59+08:00');
const DAY_MS = 86_400_000;

type Tier = 'potential' | 'effective' | 'mid' | 'high_end' | 'private';

function tierOf(aum: number): Tier {
  if (aum < 10_000) return 'potential';
  if (aum < 50_000) return 'effective';
  if (aum < 500_000) return 'mid';
  if (aum < 6_000_000) return 'high_end';
  return 'private';
}

function latestAverage(customer: Customer): number {
  return customer.assets.monthlyAverages.at(-1)?.averageDailyBalance ?? 0;
}

function ageOf(customer: Customer): number {
  return 2026 - Number(customer.profile.birthDate.slice(0, 4));
}

let bank: SyntheticBank;
let customers: Customer[];

function share(
  predicate: (customer: Customer) => boolean,
  among: readonly Customer[] = customers,
): number {
  return among.filter(predicate).length / among.length;
}

beforeAll(() => {
  bank = createSyntheticBank({ seed: 42, customers: POPULATION });
  customers = [...bank.customers()];
});

describe('assets follow the tiers and the 20/80 rule', () => {
  it('splits customers into tiers in realistic shares', () => {
    const tierShare = (tier: Tier) => share((customer) => tierOf(latestAverage(customer)) === tier);
    expect(tierShare('potential')).toBeGreaterThan(0.45);
    expect(tierShare('potential')).toBeLessThan(0.6);
    expect(tierShare('effective')).toBeGreaterThan(0.15);
    expect(tierShare('effective')).toBeLessThan(0.25);
    expect(tierShare('mid')).toBeGreaterThan(0.15);
    expect(tierShare('mid')).toBeLessThan(0.25);
    expect(tierShare('high_end')).toBeGreaterThan(0.02);
    expect(tierShare('high_end')).toBeLessThan(0.06);
    expect(tierShare('private')).toBeGreaterThan(0.0005);
    expect(tierShare('private')).toBeLessThan(0.005);
  });

  it('gives the top 20% of customers between 70% and 90% of all assets', () => {
    const balances = customers
      .map((customer) => customer.assets.currentAum)
      .sort((left, right) => right - left);
    const total = balances.reduce((sum, balance) => sum + balance, 0);
    const topFifth = balances.slice(0, POPULATION / 5).reduce((sum, balance) => sum + balance, 0);
    expect(topFifth / total).toBeGreaterThan(0.7);
    expect(topFifth / total).toBeLessThan(0.9);
  });

  it('moves monthly averages enough that some customers cross a tier bar during the year', () => {
    const crossers = share(
      (customer) =>
        new Set(customer.assets.monthlyAverages.map((month) => tierOf(month.averageDailyBalance)))
          .size > 1,
    );
    expect(crossers).toBeGreaterThan(0.05);
    expect(crossers).toBeLessThan(0.4);
  });

  it('reports twelve consecutive months ending with the month of asOf', () => {
    const months = customers[0]?.assets.monthlyAverages.map((month) => month.month);
    expect(months).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
    ]);
  });

  it('spreads each customer’s AUM over holdings that add up to it', () => {
    for (const customer of customers.slice(0, 5_000)) {
      const assets = customer.holdings.filter(
        (holding) => holding.productType !== 'loan' && holding.productType !== 'credit_card',
      );
      const held = assets.reduce((sum, holding) => sum + holding.amount, 0);
      expect(held).toBeCloseTo(customer.assets.currentAum, 1);
    }
  });

  it('has term products maturing within 30 days of asOf, for maturity re-marketing', () => {
    const maturingSoon = share((customer) =>
      customer.holdings.some(
        (holding) =>
          holding.productType !== 'loan' &&
          holding.maturityDate !== undefined &&
          holding.maturityDate <= '2026-11-30',
      ),
    );
    expect(maturingSoon).toBeGreaterThan(0.02);
    for (const customer of customers.slice(0, 5_000)) {
      for (const holding of customer.holdings) {
        if (holding.maturityDate !== undefined)
          expect(holding.maturityDate > '2026-10-31').toBe(true);
        expect(holding.openedAt >= customer.openedAt).toBe(true);
      }
    }
  });
});

describe('demographics look like a city bank’s retail book', () => {
  it('covers ages 18 to 85 with a fifth or more aged 60 and over', () => {
    const ages = customers.map(ageOf);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(17);
    expect(Math.max(...ages)).toBeLessThanOrEqual(86);
    const elderly = share((customer) => ageOf(customer) >= 60);
    expect(elderly).toBeGreaterThan(0.18);
    expect(elderly).toBeLessThan(0.27);
  });

  it('is about half women, with a few genders unknown', () => {
    expect(share((customer) => customer.profile.gender === 'female')).toBeCloseTo(0.5, 1);
    const unknown = share((customer) => customer.profile.gender === 'unknown');
    expect(unknown).toBeGreaterThan(0.005);
    expect(unknown).toBeLessThan(0.03);
  });

  it('has the occupations of the featured groups in plausible shares', () => {
    const occupied = (...occupations: string[]) =>
      share((customer) => occupations.includes(customer.profile.occupation));
    expect(occupied('executive', 'business_owner')).toBeGreaterThan(0.03);
    expect(occupied('executive', 'business_owner')).toBeLessThan(0.08);
    expect(occupied('merchant')).toBeGreaterThan(0.04);
    expect(occupied('merchant')).toBeLessThan(0.09);
    expect(occupied('farmer')).toBeGreaterThan(0.05);
    expect(occupied('farmer')).toBeLessThan(0.12);
    expect(occupied('retired')).toBeGreaterThan(0.1);
    expect(occupied('student')).toBeGreaterThan(0.02);
  });

  it('makes executives and owners wealthier than employees', () => {
    const medianAum = (occupation: string) => {
      const balances = customers
        .filter((customer) => customer.profile.occupation === occupation)
        .map((customer) => customer.assets.currentAum)
        .sort((left, right) => left - right);
      return balances[Math.floor(balances.length / 2)] ?? 0;
    };
    expect(medianAum('executive')).toBeGreaterThan(3 * medianAum('employee'));
    expect(medianAum('business_owner')).toBeGreaterThan(3 * medianAum('employee'));
  });

  it('gives each occupation its signals: merchants settle, farmers borrow seasonally, students are young, retirees old', () => {
    for (const customer of customers) {
      const { occupation } = customer.profile;
      if (occupation === 'merchant')
        expect(customer.behaviour.monthlySettlement).toBeGreaterThan(0);
      if (occupation === 'individual_business')
        expect(customer.behaviour.hasBusinessAccount).toBe(true);
      if (occupation === 'student') expect(ageOf(customer)).toBeLessThanOrEqual(24);
      if (occupation === 'retired') expect(ageOf(customer)).toBeGreaterThanOrEqual(55);
      if (customer.behaviour.seasonalCredit) expect(occupation).toBe('farmer');
    }
    const merchants = customers.filter((customer) => customer.profile.occupation === 'merchant');
    expect(share((customer) => customer.behaviour.posMerchant, merchants)).toBeGreaterThan(0.7);
    const farmers = customers.filter((customer) => customer.profile.occupation === 'farmer');
    expect(share((customer) => customer.profile.rural, farmers)).toBeGreaterThan(0.9);
    expect(share((customer) => customer.behaviour.seasonalCredit, farmers)).toBeGreaterThan(0.5);
  });

  it('pays about 30% of customers by payroll, from employers on the bank’s list', () => {
    const payroll = customers.filter((customer) => customer.behaviour.payroll !== undefined);
    expect(payroll.length / POPULATION).toBeGreaterThan(0.25);
    expect(payroll.length / POPULATION).toBeLessThan(0.35);
    const employerIds = new Set(bank.employers.map((employer) => employer.id));
    for (const customer of payroll) {
      expect(employerIds).toContain(customer.behaviour.payroll?.employerId);
      expect(customer.profile.employerId).toBe(customer.behaviour.payroll?.employerId);
    }
  });
});

describe('activity, consent and managed books', () => {
  it('has about 10% dormant customers, none of them active in mobile banking', () => {
    const dormant = customers.filter((customer) => {
      const last = customer.behaviour.lastTransactionAt;
      return last === undefined || AS_OF_END - Date.parse(last) > 180 * DAY_MS;
    });
    expect(dormant.length / POPULATION).toBeGreaterThan(0.07);
    expect(dormant.length / POPULATION).toBeLessThan(0.13);
    for (const customer of dormant) {
      expect(customer.behaviour.mobileBankingActive).toBe(false);
      expect(customer.behaviour.monthlyTransactions).toBe(0);
    }
  });

  it('records consent per channel and purpose: service SMS for nearly all, marketing less and less', () => {
    const granted = (channel: string, purpose: string) => (customer: Customer) =>
      customer.consents.some(
        (consent) => consent.channel === channel && consent.purpose === purpose && consent.granted,
      );
    expect(share(granted('sms', 'service'))).toBeGreaterThan(0.9);
    const smsMarketing = share(granted('sms', 'marketing'));
    expect(smsMarketing).toBeGreaterThan(0.5);
    expect(smsMarketing).toBeLessThan(0.7);
    for (const channel of ['wecom', 'email', 'app_push']) {
      expect(share(granted(channel, 'marketing'))).toBeLessThan(smsMarketing);
    }
    const doNotContact = share((customer) => customer.doNotContact);
    expect(doNotContact).toBeGreaterThan(0.005);
    expect(doNotContact).toBeLessThan(0.03);
  });

  it('puts most customers of 50k and more in the book of a wealth manager of the right role in their branch', () => {
    const managers = new Map(bank.managers.map((manager) => [manager.id, manager]));
    const affluent = customers.filter((customer) => latestAverage(customer) >= 50_000);
    expect(share((customer) => customer.relationshipManagerId !== null, affluent)).toBeGreaterThan(
      0.8,
    );
    for (const customer of affluent) {
      if (customer.relationshipManagerId === null) continue;
      const manager = managers.get(customer.relationshipManagerId);
      expect(manager?.branchId).toBe(customer.branchId);
      const expectedRole =
        latestAverage(customer) >= 500_000 ? 'vip_wealth_manager' : 'counter_wealth_manager';
      expect(manager?.role).toBe(expectedRole);
    }
    const mass = customers.filter((customer) => latestAverage(customer) < 50_000);
    const managedMass = share((customer) => customer.relationshipManagerId !== null, mass);
    expect(managedMass).toBeGreaterThan(0);
    expect(managedMass).toBeLessThan(0.2);
  });
});
