// The customer model of DOMAIN.md: customers, their assets and holdings, consents, the managers
// and branches that serve them, products and customer events. Types are inferred from these schemas.
import { z } from 'zod';

/** ISO calendar date, `YYYY-MM-DD`. */
export const isoDate = z.iso.date();
/** ISO instant with offset, e.g. `2026-11-22T09:30:00+08:00`. */
export const isoDateTime = z.iso.datetime({ offset: true });
/** Calendar month, `YYYY-MM`. */
export const isoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');

/** An amount of money in CNY (yuan, two decimals). Never negative for balances. */
export const money = z.number().finite();

export const channelKindSchema = z.enum(['sms', 'wecom', 'email', 'app_push', 'phone', 'branch']);
export type ChannelKind = z.infer<typeof channelKindSchema>;

/** Why a message is sent: marketing needs opt-in, service and transactional messages are narrower. */
export const contactPurposeSchema = z.enum(['marketing', 'service', 'transactional']);
export type ContactPurpose = z.infer<typeof contactPurposeSchema>;

export const consentSchema = z.object({
  channel: channelKindSchema,
  purpose: contactPurposeSchema,
  granted: z.boolean(),
  recordedAt: isoDateTime,
  expiresAt: isoDateTime.optional(),
});
export type Consent = z.infer<typeof consentSchema>;

export const genderSchema = z.enum(['female', 'male', 'unknown']);
export type Gender = z.infer<typeof genderSchema>;

export const occupationSchema = z.enum([
  'executive',
  'business_owner',
  'individual_business',
  'employee',
  'civil_servant',
  'farmer',
  'merchant',
  'retired',
  'student',
  'freelancer',
  'other',
]);
export type Occupation = z.infer<typeof occupationSchema>;

export const productTypeSchema = z.enum([
  'demand_deposit',
  'time_deposit',
  'structured_deposit',
  'wealth',
  'fund',
  'insurance',
  'precious_metal',
  'loan',
  'credit_card',
]);
export type ProductType = z.infer<typeof productTypeSchema>;

export const riskLevelSchema = z.enum(['R1', 'R2', 'R3', 'R4', 'R5']);

export const holdingSchema = z.object({
  productId: z.string().min(1),
  productType: productTypeSchema,
  amount: money.nonnegative(),
  openedAt: isoDate,
  maturityDate: isoDate.optional(),
});
export type Holding = z.infer<typeof holdingSchema>;

/** Average daily balance for one calendar month (日均资产), the basis of tiering. */
export const monthlyAverageSchema = z.object({
  month: isoMonth,
  averageDailyBalance: money.nonnegative(),
});
export type MonthlyAverage = z.infer<typeof monthlyAverageSchema>;

/** What the manager knows of the customer's household: part of a full customer file (建档). */
export const familySchema = z.object({
  maritalStatus: z.enum(['single', 'married', 'divorced', 'widowed']),
  children: z.number().int().min(0).max(20),
  /** Household members who depend on the customer financially (children, parents). */
  dependants: z.number().int().min(0).max(30),
  /** When the manager last confirmed it. */
  recordedAt: isoDate,
});
export type Family = z.infer<typeof familySchema>;

export const customerProfileSchema = z.object({
  name: z.string().min(1).max(100),
  gender: genderSchema,
  birthDate: isoDate,
  /** Mobile number; personal information class C2, masked on screen as 138****1234. */
  phone: z.string().min(5).max(20),
  /** Resident identity number; class C2, always masked unless a permitted user unmasks it. */
  idNumber: z.string().min(6).max(32),
  email: z.email().optional(),
  /** The customer's WeCom (企业微信) external-contact id, once added by their manager. */
  wecomExternalUserId: z.string().min(1).max(64).optional(),
  /** The mobile-banking user id that app push reaches. */
  appUserId: z.string().min(1).max(64).optional(),
  /** The language messages reach the customer in; zh-CN when absent. */
  preferredLocale: z.enum(['zh-CN', 'en']).optional(),
  occupation: occupationSchema,
  /** Employer (company id) where known, e.g. from a payroll agreement. */
  employerId: z.string().optional(),
  city: z.string().optional(),
  rural: z.boolean().default(false),
  /** Absent until a manager has recorded it. */
  family: familySchema.optional(),
});
export type CustomerProfile = z.infer<typeof customerProfileSchema>;

export const customerAssetsSchema = z.object({
  /** Balance held at this bank today (AUM, 在我行沉淀资产). */
  currentAum: money.nonnegative(),
  /** Monthly average daily balances, oldest first; the last entry is the latest complete month. */
  monthlyAverages: z.array(monthlyAverageSchema).max(60),
});
export type CustomerAssets = z.infer<typeof customerAssetsSchema>;

export const payrollSchema = z.object({
  employerId: z.string().min(1),
  monthlyAmount: money.nonnegative(),
});

export const customerBehaviourSchema = z.object({
  lastTransactionAt: isoDateTime.optional(),
  lastLoginAt: isoDateTime.optional(),
  mobileBankingActive: z.boolean(),
  /** Transactions per month, averaged over the last three months. */
  monthlyTransactions: z.number().nonnegative(),
  payroll: payrollSchema.optional(),
  /** Monthly business settlement volume (POS, collections) for merchants, in CNY. */
  monthlySettlement: money.nonnegative().default(0),
  posMerchant: z.boolean().default(false),
  hasBusinessAccount: z.boolean().default(false),
  seasonalCredit: z.boolean().default(false),
});
export type CustomerBehaviour = z.infer<typeof customerBehaviourSchema>;

export const customerSchema = z.object({
  id: z.string().min(1).max(64),
  branchId: z.string().min(1),
  openedAt: isoDate,
  profile: customerProfileSchema,
  assets: customerAssetsSchema,
  holdings: z.array(holdingSchema).default([]),
  behaviour: customerBehaviourSchema,
  /** The relationship manager whose book holds this customer (管户), if any. */
  relationshipManagerId: z.string().nullable().default(null),
  consents: z.array(consentSchema).default([]),
  /** A customer-level do-not-contact flag overrides every consent. */
  doNotContact: z.boolean().default(false),
  riskProfile: z.enum(['C1', 'C2', 'C3', 'C4', 'C5']).optional(),
  tags: z.array(z.string().min(1)).default([]),
});
export type Customer = z.infer<typeof customerSchema>;
/** What callers may pass before defaults are applied. */
export type CustomerInput = z.input<typeof customerSchema>;

export const managerRoleSchema = z.enum([
  'counter_wealth_manager',
  'vip_wealth_manager',
  'customer_manager',
  'operations_manager',
  'branch_head',
]);
export type ManagerRole = z.infer<typeof managerRoleSchema>;

export const managerSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  role: managerRoleSchema,
  branchId: z.string().min(1),
  /** How many customers this manager can serve well; allocation balances against it. */
  capacity: z.number().int().nonnegative(),
});
export type Manager = z.infer<typeof managerSchema>;

export const branchSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  city: z.string().min(1),
  parentId: z.string().optional(),
});
export type Branch = z.infer<typeof branchSchema>;

export const productSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  type: productTypeSchema,
  riskLevel: riskLevelSchema,
  termDays: z.number().int().positive().optional(),
  minimumAmount: money.nonnegative().default(0),
  expectedAnnualYield: z.number().min(0).max(1).optional(),
  principalProtected: z.boolean().default(false),
});
export type Product = z.infer<typeof productSchema>;

const eventBase = {
  id: z.string().min(1),
  customerId: z.string().min(1),
  occurredAt: isoDateTime,
};

export const customerEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...eventBase,
    type: z.literal('transaction'),
    amount: money.nonnegative(),
    direction: z.enum(['in', 'out']),
    channel: z.enum(['mobile', 'online', 'counter', 'atm', 'pos']),
    category: z
      .enum(['transfer', 'payroll', 'consumption', 'settlement', 'other'])
      .default('other'),
  }),
  z.object({
    ...eventBase,
    type: z.literal('login'),
    channel: z.enum(['mobile', 'online']),
  }),
  z.object({
    ...eventBase,
    type: z.literal('contact'),
    channel: channelKindSchema,
    managerId: z.string().optional(),
    outcome: z.enum(['reached', 'no_answer', 'declined', 'interested', 'sold', 'opted_out']),
  }),
  z.object({
    ...eventBase,
    type: z.literal('purchase'),
    productId: z.string().min(1),
    amount: money.nonnegative(),
  }),
  z.object({
    ...eventBase,
    type: z.literal('maturity'),
    productId: z.string().min(1),
    amount: money.nonnegative(),
  }),
]);
export type CustomerEvent = z.infer<typeof customerEventSchema>;
export type CustomerEventType = CustomerEvent['type'];
