// The featured groups of DOMAIN.md §2 and the signals that put a customer in them.
// A customer can belong to several groups at once.
import type { Customer } from '@kequn/core';
import type { FeaturedGroupsSettings } from './settings.js';

export const featuredGroupIds = [
  'executives',
  'elderly',
  'merchants',
  'women',
  'rural',
  'payroll',
  'young',
  'structuredDepositSeekers',
  'smallBusinesses',
] as const;
export type FeaturedGroupId = (typeof featuredGroupIds)[number];

export const featuredGroupLabels: Readonly<
  Record<FeaturedGroupId, { 'zh-CN': string; en: string }>
> = {
  executives: { 'zh-CN': '企业高管及私营业主', en: 'Executives & business owners' },
  elderly: { 'zh-CN': '老年客户', en: 'Elderly customers' },
  merchants: { 'zh-CN': '商贸结算客户', en: 'Merchants (trade settlement)' },
  women: { 'zh-CN': '女性客户', en: 'Women' },
  rural: { 'zh-CN': '农村种养殖户', en: 'Rural growers & breeders' },
  payroll: { 'zh-CN': '代发客群', en: 'Payroll customers' },
  young: { 'zh-CN': '年轻客群', en: 'Young customers' },
  structuredDepositSeekers: { 'zh-CN': '结构性存款特定客群', en: 'Structured-deposit seekers' },
  smallBusinesses: { 'zh-CN': '小微企业、个体户', en: 'SMEs & individual businesses' },
};

/** Whole years between a birth date and the as-of date, both `YYYY-MM-DD`. */
export function ageAt(birthDate: string, asOf: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ay, am, ad] = asOf.split('-').map(Number);
  if (by === undefined || bm === undefined || bd === undefined) return Number.NaN;
  if (ay === undefined || am === undefined || ad === undefined) return Number.NaN;
  const hadBirthday = am > bm || (am === bm && ad >= bd);
  return ay - by - (hadBirthday ? 0 : 1);
}

type Signal = (customer: Customer, age: number, settings: FeaturedGroupsSettings) => boolean;

const signals: Readonly<Record<FeaturedGroupId, Signal>> = {
  executives: (c, _age, s) => s.executives.occupations.includes(c.profile.occupation),
  elderly: (_c, age, s) => age >= s.elderly.minimumAge,
  merchants: (c, _age, s) =>
    s.merchants.occupations.includes(c.profile.occupation) ||
    (c.behaviour.monthlySettlement > 0 &&
      c.behaviour.monthlySettlement >= s.merchants.minimumMonthlySettlement) ||
    (s.merchants.includePosMerchants && c.behaviour.posMerchant),
  women: (c, age, s) => c.profile.gender === 'female' && age >= s.women.minimumAge,
  rural: (c, _age, s) =>
    (c.profile.rural && s.rural.occupations.includes(c.profile.occupation)) ||
    (s.rural.includeSeasonalCredit && c.behaviour.seasonalCredit),
  payroll: (c, _age, s) =>
    c.behaviour.payroll !== undefined &&
    c.behaviour.payroll.monthlyAmount >= s.payroll.minimumMonthlyAmount,
  young: (c, age, s) =>
    age >= s.young.minimumAge &&
    age <= s.young.maximumAge &&
    (!s.young.requireMobileBanking || c.behaviour.mobileBankingActive),
  structuredDepositSeekers: (c, age, s) =>
    c.holdings.some((holding) =>
      s.structuredDepositSeekers.productTypes.includes(holding.productType),
    ) ||
    (age >= s.structuredDepositSeekers.minimumAge &&
      c.riskProfile !== undefined &&
      s.structuredDepositSeekers.riskProfiles.includes(c.riskProfile)),
  smallBusinesses: (c, _age, s) =>
    s.smallBusinesses.occupations.includes(c.profile.occupation) ||
    (s.smallBusinesses.includeBusinessAccounts && c.behaviour.hasBusinessAccount),
};

/** The enabled groups a customer belongs to on the as-of date, in the order of `featuredGroupIds`. */
export function featuredGroupsOf(
  customer: Customer,
  asOf: string,
  settings: FeaturedGroupsSettings,
): FeaturedGroupId[] {
  const age = ageAt(customer.profile.birthDate, asOf);
  return featuredGroupIds.filter(
    (id) => settings[id].enabled && signals[id](customer, age, settings),
  );
}
