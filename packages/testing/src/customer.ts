// One synthetic customer, built from (seed, index) alone. Besides the public Customer it returns an
// activity plan, the facts its events must agree with (how many transactions in which month, when
// the last one happened), so that eventsOf() can replay them without storing anything.
import type {
  Consent,
  Customer,
  Family,
  CustomerBehaviour,
  Gender,
  Holding,
  ManagerRole,
  Occupation,
} from '@kequn/core';
import { SECONDS_PER_DAY, dayOf, formatDay, formatInstant, yearsBefore } from './calendar.js';
import { WINDOW_MONTHS, monthSpan, windowStartDay, type GenerationContext } from './context.js';
import type { BranchSite, Employer } from './organisation.js';
import { drawChineseName, drawEmail, drawIdNumber, drawMobileNumber } from './people.js';
import { WeightedTable, createRandom, normalCdf, type Random } from './random.js';
import {
  EFFECTIVE_FLOOR,
  HIGH_END_FLOOR,
  MID_FLOOR,
  allocateHoldings,
  aumAtScore,
  termHolding,
  toFen,
  toYuan,
  walkMonthlyAverages,
  type HoldingContext,
  type RiskProfile,
} from './wealth.js';

/** A regular credit on a fixed day: salary (代发工资) or pension (养老金). */
export interface FixedCredit {
  category: 'payroll' | 'transfer';
  payday: number;
  /** Second of the day at which the batch is credited. */
  secondOfDay: number;
  amount: number;
}

export interface ActivityPlan {
  /** Transactions per window month besides fixed credits, oldest first. */
  otherTransactions: number[];
  fixedCredits: FixedCredit[];
  lastTransactionSecond: number | undefined;
  /** Mobile-banking logins per window month. */
  logins: number[];
  lastLoginSecond: number | undefined;
  /** Share of other transactions that are business settlement (merchants). */
  settlementShare: number;
  /** Start of the account-opening day; nothing happens before it. */
  openedSecond: number;
  /** The AUM level of the latest month, which decides managed book and contact cadence. */
  latestAverage: number;
}

export interface CustomerDraft {
  customer: Customer;
  activity: ActivityPlan;
}

/** Stream key for the customer's own attributes; events use another. */
export const CUSTOMER_STREAM = 1;
export const EVENT_STREAM = 2;
/** Family details come from their own stream, so adding them changed no other generated value. */
export const FAMILY_STREAM = 3;

export function customerIdOf(index: number): string {
  return `C${String(index + 1).padStart(9, '0')}`;
}

/** The index behind a synthetic customer id, or undefined if the id is not one of ours. */
export function customerIndexOf(customerId: string): number | undefined {
  if (!/^C\d{9}$/.test(customerId)) return undefined;
  return Number(customerId.slice(1)) - 1;
}

/** Age bands of a city bank's retail book; a little over a fifth are 60 or older. */
const ageBands: readonly (readonly [from: number, to: number, share: number])[] = [
  [18, 24, 0.09],
  [25, 34, 0.19],
  [35, 44, 0.19],
  [45, 59, 0.31],
  [60, 69, 0.13],
  [70, 85, 0.09],
];

/** How strongly wealth and age move together (Gaussian copula correlation). */
const AGE_WEALTH_CORRELATION = 0.3;

function ageAtQuantile(quantile: number): number {
  let floor = 0;
  for (const [from, to, share] of ageBands) {
    if (quantile < floor + share)
      return from + Math.floor(((quantile - floor) / share) * (to - from + 1));
    floor += share;
  }
  return 85;
}

/** Customers open their own account from their eighteenth birthday. */
const ADULT_AGE = 18;
/** Share of customers whose account is new this year (opened within the window). */
const NEW_CUSTOMER_SHARE = 0.06;
/** The bank's records start here; older relationships show this opening date. */
const EARLIEST_OPENING = dayOf('1998-01-01');

export function draftCustomer(context: GenerationContext, index: number): CustomerDraft {
  const random = createRandom(context.seed, index, CUSTOMER_STREAM);
  const site = random.pick(context.sites);
  const wealthScore = random.normal();
  const latestLevel = aumAtScore(wealthScore);
  const age = ageAtQuantile(
    normalCdf(
      AGE_WEALTH_CORRELATION * wealthScore +
        Math.sqrt(1 - AGE_WEALTH_CORRELATION ** 2) * random.normal(),
    ),
  );
  const gender: Gender = random.chance(0.015) ? 'unknown' : random.chance(0.5) ? 'female' : 'male';
  const birthDay = yearsBefore(context.asOfDay, age) - random.integer(0, 364);
  const birthDate = formatDay(birthDay);
  const rural = random.chance(site.ruralShare);
  const occupation = drawOccupation(random, age, gender, rural, wealthScore);
  const openedDay = drawOpeningDay(random, context, birthDay);
  const isNew = openedDay >= windowStartDay(context);

  const payroll = drawPayroll(random, context, occupation, wealthScore);
  const pension = occupation === 'retired' && random.chance(0.75) ? drawPension(random) : undefined;
  const fixedCredits = [payroll?.credit, pension].filter(
    (credit): credit is FixedCredit => credit !== undefined,
  );
  const business = drawBusinessTraits(random, occupation, wealthScore);
  // Regular inflows (salary, pension, shop takings) keep an account alive by definition.
  const hasRegularInflow = fixedCredits.length > 0 || business.monthlySettlement > 0;
  const dormant = !hasRegularInflow && !isNew && random.chance(dormancyChance(wealthScore));

  const monthlyAveragesFen = walkMonthlyAverages(random, {
    latestLevel,
    months: WINDOW_MONTHS,
    ...openingWithinWindow(context, openedDay),
    volatility: dormant ? 0.002 : occupation === 'merchant' ? 0.15 : 0.07,
    drift: dormant ? 0 : 0.004 + 0.015 * random.normal(),
    jumpChance: dormant ? 0 : 0.04,
  });
  const latestAverage = toYuan(monthlyAveragesFen[WINDOW_MONTHS - 1] ?? 0);
  const currentAumFen = toFen(
    dormant ? latestLevel : latestLevel * Math.exp(0.03 * random.normal()),
  );
  const riskProfile = drawRiskProfile(random, age, toYuan(currentAumFen));
  const holdingContext: HoldingContext = {
    aumFen: currentAumFen,
    riskProfile,
    age,
    customerOpenedDay: openedDay,
    asOfDay: context.asOfDay,
    shelf: context.shelf,
  };
  const holdings = allocateHoldings(random, holdingContext);

  const loan = drawLoan(
    random,
    holdingContext,
    occupation,
    age,
    payroll !== undefined,
    business.seasonalCredit,
  );
  if (loan) holdings.push(loan);

  const activity = planActivity(random, context, {
    openedDay,
    age,
    dormant,
    fixedCredits,
    settlementTransactions: business.monthlySettlement > 0 ? random.integer(15, 40) : 0,
    latestAverage,
  });

  const id = customerIdOf(index);
  const email = random.chance(age < 45 ? 0.45 : 0.2) ? drawEmail(random) : undefined;
  const employerId = payroll?.employer.id;
  const relationshipManagerId = drawRelationshipManager(
    random,
    context,
    site,
    latestAverage,
    occupation,
    business.seasonalCredit,
  );
  const doNotContact = random.chance(0.015);
  const appUser = activity.lastLoginSecond !== undefined;

  const behaviour: CustomerBehaviour = {
    mobileBankingActive: isRecentLogin(context, activity.lastLoginSecond),
    monthlyTransactions: recentMonthlyTransactions(context, activity),
    monthlySettlement: business.monthlySettlement,
    posMerchant: business.posMerchant,
    hasBusinessAccount: business.hasBusinessAccount,
    seasonalCredit: business.seasonalCredit,
  };
  if (activity.lastTransactionSecond !== undefined)
    behaviour.lastTransactionAt = formatInstant(activity.lastTransactionSecond);
  if (activity.lastLoginSecond !== undefined)
    behaviour.lastLoginAt = formatInstant(activity.lastLoginSecond);
  if (payroll)
    behaviour.payroll = { employerId: payroll.employer.id, monthlyAmount: payroll.credit.amount };

  const customer: Customer = {
    id,
    branchId: site.branch.id,
    openedAt: formatDay(openedDay),
    profile: {
      name: drawChineseName(random, gender, Number(birthDate.slice(0, 4))),
      gender,
      birthDate,
      phone: drawMobileNumber(random),
      idNumber: drawIdNumber(
        random,
        random.chance(0.7) ? site.regionCode : random.pick(migrantRegionCodes),
        birthDate,
        gender,
      ),
      occupation,
      city: site.branch.city,
      rural,
    },
    assets: {
      currentAum: toYuan(currentAumFen),
      monthlyAverages: monthlyAveragesFen.map((averageFen, position) => ({
        month: context.monthLabels[position] ?? '',
        averageDailyBalance: toYuan(averageFen),
      })),
    },
    holdings,
    behaviour,
    relationshipManagerId,
    consents: drawConsents(random, context, {
      openedDay,
      hasEmail: email !== undefined,
      appUser,
      managed: relationshipManagerId !== null,
      doNotContact,
    }),
    doNotContact,
    tags: pension ? ['pension'] : [],
  };
  if (email !== undefined) customer.profile.email = email;
  if (employerId !== undefined) customer.profile.employerId = employerId;
  if (riskProfile !== undefined) customer.riskProfile = riskProfile;
  const family = drawFamily(context, index, age, latestAverage, relationshipManagerId !== null);
  if (family !== undefined) customer.profile.family = family;
  return { customer, activity };
}

/**
 * Managers record the household of the customers they manage, more often the wealthier they are
 * (DOMAIN.md §4 targets full files for ≥ 500k and 70% for 50k–500k; real books fall a little short).
 */
function drawFamily(
  context: GenerationContext,
  index: number,
  age: number,
  latestAverage: number,
  managed: boolean,
): Family | undefined {
  const random = createRandom(context.seed, index, FAMILY_STREAM);
  const recordedShare = !managed
    ? 0.15
    : latestAverage >= 500_000
      ? 0.93
      : latestAverage >= 50_000
        ? 0.72
        : 0.35;
  if (!random.chance(recordedShare)) return undefined;
  const maritalStatus: Family['maritalStatus'] =
    age < 25
      ? random.chance(0.85)
        ? 'single'
        : 'married'
      : age >= 70 && random.chance(0.3)
        ? 'widowed'
        : random.chance(0.08)
          ? 'divorced'
          : random.chance(age < 32 ? 0.45 : 0.85)
            ? 'married'
            : 'single';
  const children = maritalStatus === 'single' ? 0 : random.integer(0, age < 30 ? 1 : 3);
  const parentsSupported = age >= 35 && age < 65 && random.chance(0.3) ? random.integer(1, 2) : 0;
  const childDependants = age < 60 ? children : 0;
  const recordedDay = context.asOfDay - random.integer(10, 900);
  return {
    maritalStatus,
    children,
    dependants: childDependants + parentsSupported,
    recordedAt: formatDay(recordedDay),
  };
}

/** Where customers who moved to Hangzhou were born: Anhui, Jiangsu, Henan, Sichuan, Jiangxi, Hunan, Hubei. */
const migrantRegionCodes = [
  '340102',
  '320102',
  '410102',
  '510104',
  '360102',
  '430102',
  '420102',
] as const;

function drawOccupation(
  random: Random,
  age: number,
  gender: Gender,
  rural: boolean,
  wealthScore: number,
): Occupation {
  if (age <= 23 && random.chance(0.62)) return 'student';
  const retirementAge = gender === 'female' ? 55 : 60;
  if (age >= retirementAge && random.chance(age >= 65 ? 0.85 : 0.6)) {
    return rural && random.chance(0.5) ? 'farmer' : 'retired';
  }
  if (rural && age >= 22 && random.chance(0.55)) return 'farmer';
  // Executives and owners concentrate among the wealthy: the chance grows with the wealth score.
  if (age >= 28 && random.chance(Math.min(0.6, 0.05 * Math.exp(wealthScore)))) {
    return random.chance(0.5) ? 'executive' : 'business_owner';
  }
  const roll = random.next();
  if (roll < 0.095) return 'merchant';
  if (roll < 0.16) return 'individual_business';
  if (roll < 0.22) return 'civil_servant';
  if (roll < 0.29) return 'freelancer';
  if (roll < 0.32) return 'other';
  return 'employee';
}

function drawOpeningDay(random: Random, context: GenerationContext, birthDay: number): number {
  const adulthood = yearsBefore(birthDay, -ADULT_AGE);
  const windowStart = windowStartDay(context);
  const earliest = Math.max(adulthood, EARLIEST_OPENING);
  if (earliest >= windowStart || random.chance(NEW_CUSTOMER_SHARE)) {
    return random.integer(Math.max(earliest, windowStart), context.asOfDay);
  }
  return random.integer(earliest, windowStart - 1);
}

function openingWithinWindow(
  context: GenerationContext,
  openedDay: number,
): { openingPosition: number; openingMonthShare: number } {
  for (let position = WINDOW_MONTHS - 1; position >= 0; position--) {
    const start = context.monthStartDays[position] ?? 0;
    const next = context.monthStartDays[position + 1] ?? start + 1;
    if (openedDay >= start)
      return { openingPosition: position, openingMonthShare: (next - openedDay) / (next - start) };
  }
  return { openingPosition: 0, openingMonthShare: 1 };
}

/** The less a customer holds, the likelier the account has gone quiet (睡眠户). */
function dormancyChance(wealthScore: number): number {
  if (wealthScore < 0) return 0.32;
  if (wealthScore < 0.64) return 0.2;
  return 0.08;
}

const payrollChance: Partial<Record<Occupation, number>> = {
  employee: 0.58,
  civil_servant: 0.9,
  executive: 0.5,
  business_owner: 0.1,
};

const medianSalary: Partial<Record<Occupation, number>> = {
  employee: 7_500,
  civil_servant: 9_000,
  executive: 30_000,
  business_owner: 20_000,
};

/** Payroll batches are credited mid-morning. */
const PAYROLL_SECOND_OF_DAY = 9 * 3600 + 30 * 60;
const PENSION_SECOND_OF_DAY = 8 * 3600 + 30 * 60;
const PENSION_PAYDAY = 15;

function drawPayroll(
  random: Random,
  context: GenerationContext,
  occupation: Occupation,
  wealthScore: number,
): { employer: Employer; credit: FixedCredit } | undefined {
  if (!random.chance(payrollChance[occupation] ?? 0)) return undefined;
  const employers =
    occupation === 'civil_servant' && context.publicEmployers.length > 0
      ? context.publicEmployers
      : context.enterpriseEmployers;
  const employer = random.pick(employers.length > 0 ? employers : context.employers);
  const salary =
    (medianSalary[occupation] ?? 7_500) * Math.exp(0.35 * random.normal() + 0.15 * wealthScore);
  return {
    employer,
    credit: {
      category: 'payroll',
      payday: employer.payday,
      secondOfDay: PAYROLL_SECOND_OF_DAY,
      amount: Math.round(salary / 10) * 10,
    },
  };
}

function drawPension(random: Random): FixedCredit {
  return {
    category: 'transfer',
    payday: PENSION_PAYDAY,
    secondOfDay: PENSION_SECOND_OF_DAY,
    amount: Math.round(random.integer(2_500, 7_000) / 10) * 10,
  };
}

interface BusinessTraits {
  monthlySettlement: number;
  posMerchant: boolean;
  hasBusinessAccount: boolean;
  seasonalCredit: boolean;
}

function drawBusinessTraits(
  random: Random,
  occupation: Occupation,
  wealthScore: number,
): BusinessTraits {
  const traits: BusinessTraits = {
    monthlySettlement: 0,
    posMerchant: false,
    hasBusinessAccount: false,
    seasonalCredit: false,
  };
  if (occupation === 'merchant') {
    traits.monthlySettlement = settlementVolume(random, 60_000, wealthScore);
    traits.posMerchant = random.chance(0.85);
    traits.hasBusinessAccount = random.chance(0.4);
  } else if (occupation === 'individual_business') {
    traits.hasBusinessAccount = true;
    if (random.chance(0.5))
      traits.monthlySettlement = settlementVolume(random, 30_000, wealthScore);
    traits.posMerchant = traits.monthlySettlement > 0 && random.chance(0.6);
  } else if (occupation === 'business_owner') {
    traits.hasBusinessAccount = random.chance(0.7);
  } else if (occupation === 'farmer') {
    traits.seasonalCredit = random.chance(0.7);
  }
  return traits;
}

function settlementVolume(random: Random, median: number, wealthScore: number): number {
  return Math.round(median * Math.exp(0.8 * random.normal() + 0.3 * wealthScore));
}

const riskProfilesByAge: readonly (readonly [
  minimumAge: number,
  table: WeightedTable<RiskProfile>,
])[] = [
  [
    60,
    new WeightedTable<RiskProfile>([
      ['C1', 0.3],
      ['C2', 0.45],
      ['C3', 0.2],
      ['C4', 0.05],
    ]),
  ],
  [
    35,
    new WeightedTable<RiskProfile>([
      ['C1', 0.12],
      ['C2', 0.35],
      ['C3', 0.33],
      ['C4', 0.15],
      ['C5', 0.05],
    ]),
  ],
  [
    0,
    new WeightedTable<RiskProfile>([
      ['C1', 0.1],
      ['C2', 0.3],
      ['C3', 0.35],
      ['C4', 0.18],
      ['C5', 0.07],
    ]),
  ],
];

/** Customers take the risk questionnaire (风险测评) when they want more than deposits. */
function drawRiskProfile(random: Random, age: number, aum: number): RiskProfile | undefined {
  const assessedChance =
    aum >= HIGH_END_FLOOR ? 0.98 : aum >= MID_FLOOR ? 0.85 : aum >= EFFECTIVE_FLOOR ? 0.55 : 0.25;
  if (!random.chance(assessedChance)) return undefined;
  const table = riskProfilesByAge.find(([minimumAge]) => age >= minimumAge)?.[1];
  return table?.draw(random);
}

/** Liabilities: not part of AUM, but they say who needs credit (按揭, 薪金贷, 经营贷, 惠农贷). */
function drawLoan(
  random: Random,
  context: HoldingContext,
  occupation: Occupation,
  age: number,
  onPayroll: boolean,
  seasonalCredit: boolean,
): Holding | undefined {
  const loanOf = (productId: string, minimum: number, maximum: number): Holding | undefined => {
    const product = context.shelf.byId('loan', productId);
    if (!product) return undefined;
    return termHolding(random, product, toFen(random.integer(minimum, maximum) * 1_000), context);
  };
  if (seasonalCredit && random.chance(0.6)) return loanOf('LN-AGRI', 10, 300);
  const runsBusiness =
    occupation === 'merchant' ||
    occupation === 'individual_business' ||
    occupation === 'business_owner';
  if (runsBusiness && random.chance(0.3)) return loanOf('LN-BUSINESS', 50, 2_000);
  if (age >= 28 && age <= 55 && random.chance(0.18)) return loanOf('LN-MORTGAGE', 200, 2_000);
  if (onPayroll && random.chance(0.08)) return loanOf('LN-SALARY', 10, 300);
  return undefined;
}

interface ActivityFacts {
  openedDay: number;
  age: number;
  dormant: boolean;
  fixedCredits: readonly FixedCredit[];
  settlementTransactions: number;
  latestAverage: number;
}

/** Share of customers who still transact now and then but not this month: early churn signals. */
const SLIPPING_CHANCE = 0.07;
/** Logged in within this many days counts as an active mobile-banking user. */
export const ACTIVE_LOGIN_DAYS = 90;

function planActivity(
  random: Random,
  context: GenerationContext,
  facts: ActivityFacts,
): ActivityPlan {
  const openedSecond = facts.openedDay * SECONDS_PER_DAY;
  const appUser = random.chance(appUserChance(facts.age));
  const lastTransactionSecond = drawLastTransaction(random, context, facts, openedSecond);
  const personalRate =
    (appUser ? (facts.age < 35 ? 18 : 12) : facts.age >= 60 ? 3 : 5) *
    Math.exp(0.5 * random.normal());
  const rate = personalRate + facts.settlementTransactions;
  const otherTransactions = monthlyCounts(
    random,
    context,
    rate,
    openedSecond,
    lastTransactionSecond,
  );

  const lastLoginSecond = appUser
    ? drawLastLogin(random, context, facts.dormant, openedSecond)
    : undefined;
  const logins = monthlyCounts(
    random,
    context,
    10 * Math.exp(0.5 * random.normal()),
    openedSecond,
    lastLoginSecond,
  );
  return {
    otherTransactions,
    fixedCredits: [...facts.fixedCredits],
    lastTransactionSecond,
    logins,
    lastLoginSecond,
    settlementShare: rate > 0 ? facts.settlementTransactions / rate : 0,
    openedSecond,
    latestAverage: facts.latestAverage,
  };
}

function appUserChance(age: number): number {
  if (age < 36) return 0.92;
  if (age < 60) return 0.8;
  if (age < 70) return 0.5;
  return 0.25;
}

/**
 * When the customer last transacted. Dormant customers (睡眠户) stopped 181 days or more ago, some
 * never transacted since opening; a few others are slipping away; everyone else transacted in the
 * last ten days, after any fixed credit of this month, so the credit is never the later event.
 */
function drawLastTransaction(
  random: Random,
  context: GenerationContext,
  facts: ActivityFacts,
  openedSecond: number,
): number | undefined {
  if (facts.dormant) {
    if (random.chance(0.05)) return undefined;
    const day = Math.max(facts.openedDay, context.asOfDay - random.integer(181, 720));
    return day * SECONDS_PER_DAY + daytimeSecond(random);
  }
  if (
    facts.fixedCredits.length === 0 &&
    facts.settlementTransactions === 0 &&
    random.chance(SLIPPING_CHANCE)
  ) {
    const day = Math.max(facts.openedDay, context.asOfDay - random.integer(31, 179));
    return day * SECONDS_PER_DAY + daytimeSecond(random);
  }
  const latestCredit = latestFixedCreditSecond(
    context,
    facts.fixedCredits,
    WINDOW_MONTHS - 1,
    openedSecond,
  );
  const earliest = Math.max(
    openedSecond,
    context.asOfEndSecond - 10 * SECONDS_PER_DAY,
    (latestCredit ?? -1) + 1,
  );
  return random.integer(Math.min(earliest, context.asOfEndSecond), context.asOfEndSecond);
}

function drawLastLogin(
  random: Random,
  context: GenerationContext,
  dormant: boolean,
  openedSecond: number,
): number | undefined {
  if (dormant) {
    const second = context.asOfEndSecond - random.integer(181, 720) * SECONDS_PER_DAY;
    return second >= openedSecond ? second : undefined;
  }
  // One app user in ten has stopped opening the app: the login is older than the active window.
  const daysAgo = random.chance(0.1)
    ? random.integer(ACTIVE_LOGIN_DAYS + 1, 360)
    : random.integer(0, 20);
  const second = context.asOfEndSecond - daysAgo * SECONDS_PER_DAY - random.integer(0, 12 * 3600);
  return Math.max(second, openedSecond);
}

/** The time of day, between 07:00 and 22:59, at which people bank. */
export function daytimeSecond(random: Random): number {
  return random.integer(7 * 3600, 23 * 3600 - 1);
}

/** The instant of a fixed credit in a window month, if it falls inside the account's life. */
export function fixedCreditSecond(
  context: GenerationContext,
  credit: FixedCredit,
  position: number,
  openedSecond: number,
): number | undefined {
  const [start, end] = monthSpan(context, position);
  const second = start + (credit.payday - 1) * SECONDS_PER_DAY + credit.secondOfDay;
  return second >= openedSecond && second <= end ? second : undefined;
}

function latestFixedCreditSecond(
  context: GenerationContext,
  credits: readonly FixedCredit[],
  position: number,
  openedSecond: number,
): number | undefined {
  let latest: number | undefined;
  for (const credit of credits) {
    const second = fixedCreditSecond(context, credit, position, openedSecond);
    if (second !== undefined && (latest === undefined || second > latest)) latest = second;
  }
  return latest;
}

/**
 * Counts per window month around an average `rate`: nothing before opening or after the last
 * occurrence, and at least one in the month of the last occurrence (which is that occurrence).
 */
function monthlyCounts(
  random: Random,
  context: GenerationContext,
  rate: number,
  openedSecond: number,
  lastSecond: number | undefined,
): number[] {
  const counts = new Array<number>(WINDOW_MONTHS).fill(0);
  if (lastSecond === undefined) return counts;
  for (let position = 0; position < WINDOW_MONTHS; position++) {
    const [start, end] = monthSpan(context, position);
    if (end < openedSecond || start > lastSecond) continue;
    const count = Math.round(rate * Math.exp(0.25 * random.normal() - 0.03));
    counts[position] = lastSecond <= end ? Math.max(1, count) : count;
  }
  return counts;
}

/** Average transactions per month over the last three months, fixed credits included. */
function recentMonthlyTransactions(context: GenerationContext, activity: ActivityPlan): number {
  let total = 0;
  for (let position = WINDOW_MONTHS - 3; position < WINDOW_MONTHS; position++) {
    total += activity.otherTransactions[position] ?? 0;
    for (const credit of activity.fixedCredits) {
      if (fixedCreditSecond(context, credit, position, activity.openedSecond) !== undefined)
        total += 1;
    }
  }
  return Math.round((total / 3) * 100) / 100;
}

function isRecentLogin(context: GenerationContext, lastLoginSecond: number | undefined): boolean {
  if (lastLoginSecond === undefined) return false;
  return context.asOfEndSecond - lastLoginSecond <= ACTIVE_LOGIN_DAYS * SECONDS_PER_DAY;
}

/**
 * The managed book (管户) follows DOMAIN.md's allocation: 50k–500k to a counter wealth manager,
 * 500k and more to a VIP wealth manager; a few smaller customers are already in a book, and
 * business customers who borrow often sit with a customer manager.
 */
function drawRelationshipManager(
  random: Random,
  context: GenerationContext,
  site: BranchSite,
  latestAverage: number,
  occupation: Occupation,
  seasonalCredit: boolean,
): string | null {
  const role = managedRole(random, latestAverage, occupation, seasonalCredit);
  if (!role) return null;
  const managers = context.managersOf(site.branch.id, role);
  return managers.length > 0 ? random.pick(managers).id : null;
}

function managedRole(
  random: Random,
  latestAverage: number,
  occupation: Occupation,
  seasonalCredit: boolean,
): ManagerRole | undefined {
  if (latestAverage >= HIGH_END_FLOOR)
    return random.chance(0.95) ? 'vip_wealth_manager' : undefined;
  if (latestAverage >= MID_FLOOR) return random.chance(0.85) ? 'counter_wealth_manager' : undefined;
  if (latestAverage >= EFFECTIVE_FLOOR && random.chance(0.1)) return 'counter_wealth_manager';
  const borrowsForBusiness =
    seasonalCredit ||
    occupation === 'merchant' ||
    occupation === 'individual_business' ||
    occupation === 'business_owner';
  return borrowsForBusiness && random.chance(0.25) ? 'customer_manager' : undefined;
}

interface ConsentFacts {
  openedDay: number;
  hasEmail: boolean;
  appUser: boolean;
  managed: boolean;
  doNotContact: boolean;
}

/** Consents actually recorded for a channel: service first, then marketing, if asked at all. */
interface ChannelConsentHabit {
  channel: Consent['channel'];
  applies: (facts: ConsentFacts) => boolean;
  service: number;
  marketing: (facts: ConsentFacts) => number;
}

const consentHabits: readonly ChannelConsentHabit[] = [
  { channel: 'sms', applies: () => true, service: 0.96, marketing: () => 0.62 },
  {
    channel: 'phone',
    applies: () => true,
    service: 0.85,
    marketing: (facts) => (facts.managed ? 0.6 : 0.42),
  },
  {
    channel: 'wecom',
    applies: (facts) => facts.managed || facts.appUser,
    service: 0.45,
    marketing: (facts) => (facts.managed ? 0.55 : 0.3),
  },
  { channel: 'app_push', applies: (facts) => facts.appUser, service: 0.9, marketing: () => 0.5 },
  { channel: 'email', applies: (facts) => facts.hasEmail, service: 0.8, marketing: () => 0.3 },
];

/** Share of marketing consents granted for a limited period (often three years). */
const EXPIRING_CONSENT_SHARE = 0.08;
/** Share of refusals that are revocations within the window rather than a "no" at opening. */
const REVOCATION_SHARE = 0.3;

function drawConsents(random: Random, context: GenerationContext, facts: ConsentFacts): Consent[] {
  const consents: Consent[] = [];
  const openingSecond = facts.openedDay * SECONDS_PER_DAY + random.integer(9 * 3600, 17 * 3600);
  for (const habit of consentHabits) {
    if (!habit.applies(facts)) continue;
    if (habit.channel === 'sms')
      consents.push(consentOf('sms', 'transactional', random.chance(0.97), openingSecond));
    if (random.chance(habit.service))
      consents.push(consentOf(habit.channel, 'service', true, openingSecond));
    const marketing = drawMarketingConsent(random, context, habit, facts, openingSecond);
    if (marketing) consents.push(marketing);
  }
  return consents;
}

function drawMarketingConsent(
  random: Random,
  context: GenerationContext,
  habit: ChannelConsentHabit,
  facts: ConsentFacts,
  openingSecond: number,
): Consent | undefined {
  const grantedChance = facts.doNotContact ? 0.05 : habit.marketing(facts);
  if (random.chance(grantedChance)) {
    const recordedSecond = random.chance(0.5)
      ? openingSecond
      : laterSecond(random, context, openingSecond, facts.openedDay);
    const consent = consentOf(habit.channel, 'marketing', true, recordedSecond);
    if (random.chance(EXPIRING_CONSENT_SHARE))
      consent.expiresAt = formatInstant(recordedSecond + 3 * 365 * SECONDS_PER_DAY);
    return consent;
  }
  // About a third of those who did not grant were never asked on this channel.
  if (random.chance(0.35)) return undefined;
  const revoked = random.chance(REVOCATION_SHARE);
  const windowStartSecond = Math.max(windowStartDay(context) * SECONDS_PER_DAY, openingSecond);
  const recordedSecond = revoked
    ? laterSecond(random, context, windowStartSecond, facts.openedDay)
    : openingSecond;
  return consentOf(habit.channel, 'marketing', false, recordedSecond);
}

/** A working-hours instant between `fromSecond` and `asOf`. */
function laterSecond(
  random: Random,
  context: GenerationContext,
  fromSecond: number,
  openedDay: number,
): number {
  const fromDay = Math.max(openedDay, Math.ceil(fromSecond / SECONDS_PER_DAY));
  const day = random.integer(Math.min(fromDay, context.asOfDay), context.asOfDay);
  return Math.max(fromSecond, day * SECONDS_PER_DAY + random.integer(9 * 3600, 20 * 3600));
}

function consentOf(
  channel: Consent['channel'],
  purpose: Consent['purpose'],
  granted: boolean,
  second: number,
): Consent {
  return { channel, purpose, granted, recordedAt: formatInstant(second) };
}
