// A tiny deterministic customer factory for the attribute and table tests. The realistic synthetic
// bank lives elsewhere; these rows only need to exercise every built-in attribute.
import type { ChannelKind, Customer, ProductType } from '../src/model/customer.js';

const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const givenNames = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';
const cities = ['杭州', '宁波', '温州', '绍兴', '湖州', '嘉兴', '金华', '台州'];
const occupations = [
  'executive',
  'employee',
  'retired',
  'farmer',
  'merchant',
  'student',
  'other',
] as const;
const productTypes: readonly ProductType[] = [
  'demand_deposit',
  'time_deposit',
  'wealth',
  'fund',
  'structured_deposit',
  'insurance',
];
const channels: readonly ChannelKind[] = ['sms', 'wecom', 'app_push', 'phone'];

/** A small linear congruential generator, so the same index always gives the same customer. */
function randomFor(seed: number): () => number {
  let state = (seed * 2654435761 + 1) >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

function pick<T>(values: readonly T[], random: () => number): T {
  const value = values[Math.floor(random() * values.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

function isoDay(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function sampleCustomer(index: number): Customer {
  const random = randomFor(index);
  const aum = Math.round(random() * random() * 2_000_000 * 100) / 100;
  const holdings = Array.from({ length: Math.floor(random() * 4) }, (_, holdingIndex) => ({
    productId: `P${holdingIndex}`,
    productType: pick(productTypes, random),
    amount: Math.round(random() * 200_000),
    openedAt: isoDay(2024, 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28)),
    maturityDate:
      random() < 0.6
        ? isoDay(2026, 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28))
        : undefined,
  }));
  return {
    id: `C${String(index).padStart(9, '0')}`,
    branchId: `B${String(Math.floor(random() * 300)).padStart(4, '0')}`,
    openedAt: isoDay(
      2005 + Math.floor(random() * 20),
      1 + Math.floor(random() * 12),
      1 + Math.floor(random() * 28),
    ),
    profile: {
      name:
        pick([...surnames], random) + pick([...givenNames], random) + pick([...givenNames], random),
      gender: random() < 0.5 ? 'female' : 'male',
      birthDate: isoDay(
        1940 + Math.floor(random() * 65),
        1 + Math.floor(random() * 12),
        1 + Math.floor(random() * 28),
      ),
      phone: `13${String(100000000 + index).slice(-9)}`,
      idNumber: `330102${String(19400101 + index * 7).slice(-8)}${String(index % 10000).padStart(4, '0')}`,
      occupation: pick(occupations, random),
      city: pick(cities, random),
      rural: random() < 0.2,
    },
    assets: {
      currentAum: aum,
      monthlyAverages: Array.from({ length: Math.floor(random() * 13) }, (_, month) => ({
        month: `2025-${String(month + 1).padStart(2, '0')}`,
        averageDailyBalance: Math.round(aum * (0.8 + random() * 0.4)),
      })),
    },
    holdings,
    behaviour: {
      lastTransactionAt:
        random() < 0.9
          ? `2025-12-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}T10:00:00+08:00`
          : undefined,
      lastLoginAt:
        random() < 0.7
          ? `2025-12-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}T21:30:00+08:00`
          : undefined,
      mobileBankingActive: random() < 0.6,
      monthlyTransactions: Math.round(random() * 400) / 10,
      payroll:
        random() < 0.3
          ? {
              employerId: `E${Math.floor(random() * 2000)}`,
              monthlyAmount: Math.round(random() * 30_000),
            }
          : undefined,
      monthlySettlement: random() < 0.1 ? Math.round(random() * 500_000) : 0,
      posMerchant: random() < 0.05,
      hasBusinessAccount: random() < 0.08,
      seasonalCredit: random() < 0.03,
    },
    relationshipManagerId: random() < 0.7 ? `M${Math.floor(random() * 3000)}` : null,
    consents: channels
      .filter(() => random() < 0.5)
      .map((channel) => ({
        channel,
        purpose: 'marketing' as const,
        granted: random() < 0.8,
        recordedAt: '2025-06-01T09:00:00+08:00',
      })),
    doNotContact: random() < 0.02,
    riskProfile: random() < 0.8 ? pick(['C1', 'C2', 'C3', 'C4', 'C5'] as const, random) : undefined,
    tags: random() < 0.3 ? [pick(['老年', '代发', '商户', '高潜'], random)] : [],
  };
}

export function* sampleCustomers(count: number): Generator<Customer> {
  for (let index = 0; index < count; index++) yield sampleCustomer(index);
}
