// Settings of the ABCD plugin: the rule of each class (defaults use built-in attributes only) and
// the contact cadence per class (DOMAIN.md §3: every managed customer at least every 3 months).
import { z } from 'zod';
import { ruleSchema, type Rule } from '@kequn/segments';

export const abcdClassIds = ['a', 'b', 'c', 'd'] as const;
export type AbcdClassId = (typeof abcdClassIds)[number];

export const abcdClassLabels: Record<AbcdClassId, { 'zh-CN': string; en: string }> = {
  a: { 'zh-CN': 'A类：资产大、意向强', en: 'A: large assets, strong intent' },
  b: { 'zh-CN': 'B类：资产中等有意向或资产大意向不明', en: 'B: mid assets with intent, or large assets with unclear intent' },
  c: { 'zh-CN': 'C类：资产一般、意向一般', en: 'C: ordinary assets, ordinary intent' },
  d: { 'zh-CN': 'D类：资产与意向未知，待盘活', en: 'D: assets and intent unknown, to activate' },
};

/** Balance the classes look at: the 3-month average daily AUM, not a one-day spike. */
const assets = 'assets.averageDailyAum3m';

/** Strong intent: money maturing within 30 days (a re-marketing moment) or an active mobile user this week. */
const strongIntent: Rule = {
  any: [
    { attribute: 'holdings.maturingAmount30d', op: 'gt', value: 0 },
    { all: [{ attribute: 'behaviour.mobileBankingActive', op: 'eq', value: true }, { attribute: 'behaviour.lastLoginDate', op: 'withinLast', value: { days: 7 } }] },
  ],
};

/** Some intent: strong intent, a login this month, or a busy account. */
const someIntent: Rule = {
  any: [strongIntent, { attribute: 'behaviour.lastLoginDate', op: 'withinLast', value: { days: 30 } }, { attribute: 'behaviour.monthlyTransactions', op: 'gte', value: 10 }],
};

export const defaultAbcdRules: Record<AbcdClassId, Rule> = {
  a: { all: [{ attribute: assets, op: 'gte', value: 500_000 }, strongIntent] },
  b: { any: [{ all: [{ attribute: assets, op: 'gte', value: 50_000 }, someIntent] }, { attribute: assets, op: 'gte', value: 500_000 }] },
  c: { any: [{ attribute: assets, op: 'gte', value: 10_000 }, someIntent] },
  // D takes everyone left: assets and intent not known yet.
  d: { all: [] },
};

const cadenceDays = z.number().int().min(1).max(90, 'every managed customer needs a contact at least every 90 days');

export const abcdSettingsSchema = z.object({
  /** A rule per class; classes are exclusive in the order A, B, C, D. */
  rules: z
    .object({ a: ruleSchema.optional(), b: ruleSchema.optional(), c: ruleSchema.optional(), d: ruleSchema.optional() })
    .default({}),
  /** Days between effective contacts per class. */
  cadenceDays: z.object({ a: cadenceDays.default(7), b: cadenceDays.default(14), c: cadenceDays.default(30), d: cadenceDays.default(90) }).default({ a: 7, b: 14, c: 30, d: 90 }),
  /** Follow-ups without a sale after which a customer may move to the low-frequency pool. */
  lowFrequencyAfterFollowUps: z.number().int().min(1).default(5),
});
export type AbcdSettings = z.infer<typeof abcdSettingsSchema>;
