// The wire shapes of the Kequn API. Personal identifiers travel masked unless the unmask route
// returns them; every list is keyset-paged and capped.
import { z } from 'zod';
import { channelKindSchema, contactRecordSchema } from '@kequn/core';
import { principalSchema, roleSchema } from './roles.js';

/** RFC 9457 problem details with Kequn's stable `code` (`KQ_…`). */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int().min(400).max(599),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string().regex(/^KQ_[A-Z0-9_]+$/),
  /** Field-level issues of an invalid request, at their JSON path. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const localizedTextSchema = z.object({ 'zh-CN': z.string(), en: z.string() });

/** Customer and manager ids: letters, digits and `-_.`, as the bank's core system issues them. */
export const entityIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'expected an id of letters, digits, "-", "_" or "."');

/** A segment reference `strategy:segment`, e.g. `tiering:high_end`, `abcd:abcd.a`, `custom:elderly-rich`. */
export const segmentRefSchema = z
  .string()
  .min(3)
  .max(129)
  .regex(
    /^[a-z][a-z0-9-]*:[A-Za-z0-9_.-]+$/,
    'expected a segment as strategy:segment, e.g. tiering:high_end',
  );

export const isoDateSchema = z.iso.date();

/** A JSON rule of @kequn/segments; validated (depth, size, types) by the server. */
export const ruleInputSchema = z.unknown();

export const customerSummarySchema = z.object({
  id: z.string(),
  /** Masked: 张*明. */
  name: z.string(),
  /** Masked: 138****1234. */
  phone: z.string(),
  branchId: z.string(),
  relationshipManagerId: z.string().nullable(),
  tier: z.string().nullable(),
  featuredGroups: z.array(z.string()),
  aum: z.number().nullable(),
});
export type CustomerSummary = z.infer<typeof customerSummarySchema>;

export const customerPageSchema = z.object({
  items: z.array(customerSummarySchema),
  /** Pass as `after` for the next page; null on the last page. */
  nextAfter: z.string().nullable(),
  /** Customers in scope that pass every filter, across all pages. */
  total: z.number().int().nonnegative(),
});

export const tierPointSchema = z.object({ month: z.string(), tier: z.string(), basis: z.number() });

export const customer360Schema = z.object({
  id: z.string(),
  branchId: z.string(),
  relationshipManagerId: z.string().nullable(),
  openedAt: z.string(),
  profile: z.object({
    name: z.string(),
    phone: z.string(),
    idNumber: z.string(),
    email: z.string().nullable(),
    gender: z.string(),
    age: z.number().nullable(),
    occupation: z.string(),
    city: z.string().nullable(),
  }),
  assets: z.object({
    currentAum: z.number(),
    monthlyAverages: z.array(z.object({ month: z.string(), averageDailyBalance: z.number() })),
  }),
  tier: z.object({ current: z.string().nullable(), history: z.array(tierPointSchema) }),
  segments: z.array(z.string()),
  holdings: z.array(
    z.object({
      productId: z.string(),
      productType: z.string(),
      amount: z.number(),
      openedAt: z.string(),
      maturityDate: z.string().nullable(),
    }),
  ),
  contacts: z.array(
    z.object({
      occurredAt: z.string(),
      channel: z.string(),
      outcome: z.string(),
      managerId: z.string().nullable(),
    }),
  ),
  doNotContact: z.boolean(),
  /** Which fields were masked, by personal-information class. */
  masked: z.array(z.object({ field: z.string(), piClass: z.enum(['C1', 'C2', 'C3']) })),
});
export type Customer360 = z.infer<typeof customer360Schema>;

export const unmaskFieldSchema = z.enum(['name', 'phone', 'idNumber', 'email']);

export interface ExplainedNode {
  path: string;
  rule: unknown;
  value: boolean | null;
  read?: { attribute: string; value: unknown } | undefined;
  children: ExplainedNode[];
}
export const explainedNodeSchema: z.ZodType<ExplainedNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    rule: z.unknown(),
    value: z.boolean().nullable(),
    read: z.object({ attribute: z.string(), value: z.unknown() }).optional(),
    children: z.array(explainedNodeSchema),
  }),
);

export interface RuleSizeNode {
  path: string;
  rule: unknown;
  count: number;
  children: RuleSizeNode[];
}
export const ruleSizeSchema: z.ZodType<RuleSizeNode> = z.lazy(() =>
  z.object({
    path: z.string(),
    rule: z.unknown(),
    count: z.number(),
    children: z.array(ruleSizeSchema),
  }),
);

/** One attribute rules may read, as the attribute registry defines it (JR/T 0171 class included). */
export const attributeDescriptionSchema = z.object({
  id: z.string(),
  type: z.enum(['number', 'money', 'date', 'enum', 'set', 'boolean', 'string']),
  label: localizedTextSchema,
  description: localizedTextSchema.optional(),
  /** Personal-information class: C1 internal, C2 identifying or financial, C3 authentication. */
  piClass: z.enum(['C1', 'C2', 'C3']),
  /** The allowed values of an enum or set attribute, in display order. */
  values: z.array(z.object({ value: z.string(), label: localizedTextSchema })).optional(),
  /** An enum or set whose values are not known up front (free tags). */
  open: z.boolean().optional(),
});
export type AttributeDescriptionView = z.infer<typeof attributeDescriptionSchema>;

export const ruleIssueSchema = z.object({ path: z.string(), message: z.string() });

export const segmentSummarySchema = z.object({
  ref: segmentRefSchema,
  strategyId: z.string(),
  segmentId: z.string(),
  label: localizedTextSchema,
  /** Members within the caller's data scope. */
  customers: z.number().int().nonnegative(),
});

export const strategySummarySchema = z.object({
  id: z.string(),
  custom: z.boolean(),
  segments: z.array(segmentSummarySchema),
});

/** One server-sent event of a segment evaluation. */
export const evaluationEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), strategies: z.array(z.string()) }),
  z.object({
    type: z.literal('progress'),
    strategyId: z.string(),
    done: z.number().int(),
    total: z.number().int(),
    segments: z.array(segmentSummarySchema),
  }),
  z.object({ type: z.literal('complete'), evaluated: z.number().int(), ms: z.number() }),
  z.object({ type: z.literal('error'), problem: problemSchema }),
]);
export type EvaluationEvent = z.infer<typeof evaluationEventSchema>;

export const tierMatrixSchema = z.object({
  from: z.string(),
  to: z.string(),
  tiers: z.array(z.string()),
  /** counts[i][j]: customers in tiers[i] on `from` and tiers[j] on `to`. */
  counts: z.array(z.array(z.number().int())),
});

export const handoffSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  branchId: z.string(),
  status: z.string(),
  fromTier: z.string().nullable(),
  toTier: z.string(),
  senderId: z.string().nullable(),
  receiverId: z.string().nullable(),
  openedAt: z.string(),
  /** When the sending manager filed the customer file (提交移交), which starts the approval SLA; null before. */
  filedAt: z.string().nullable(),
  /** Masked: 张*明, so an approver recognises the case without the full name. */
  customerName: z.string(),
  firstContactDue: z.string().nullable(),
});

export const planItemSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  classId: z.string(),
  due: z.string(),
  overdue: z.boolean(),
  reasons: z.array(z.string()),
});

/** The languages the API answers text in (plan reasons, labels). */
export const apiLocaleSchema = z.enum(['zh-CN', 'en']);
export type ApiLocale = z.infer<typeof apiLocaleSchema>;

/** How a contact went (有效联系: reached, interested, declined, sold): the outcomes the store records. */
export const contactOutcomeSchema = contactRecordSchema.shape.outcome;
export type ContactOutcome = z.infer<typeof contactOutcomeSchema>;

/** The channels a contact goes through: core's channel kinds, so the API accepts what the store keeps. */
export const contactChannelSchema = channelKindSchema;
export type ContactChannel = z.infer<typeof contactChannelSchema>;

/** A contact as a manager logs it from the daily list. */
export const contactRecordInputSchema = z
  .object({
    customerId: entityIdSchema,
    outcome: contactOutcomeSchema,
    channel: contactChannelSchema,
    /** When the contact happened (ISO instant with offset); now when left out. Never in the future. */
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    /** Free text; masked like any text that may hold identifiers before it is stored. */
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type ContactRecordInput = z.input<typeof contactRecordInputSchema>;

/** What the book remembers after the contact. */
export const recordedContactSchema = z.object({
  contactId: z.string(),
  customerId: z.string(),
  managerId: z.string(),
  outcome: contactOutcomeSchema,
  channel: contactChannelSchema,
  occurredAt: z.string(),
  /** Whether the customer was actually reached (有效联系). */
  effective: z.boolean(),
  lastEffectiveContactAt: z.string().nullable(),
  followUpsWithoutSale: z.number().int(),
  /** True when the customer is (now) in the low-frequency pool (低频池). */
  lowFrequency: z.boolean(),
});
export type RecordedContact = z.infer<typeof recordedContactSchema>;

export const kpiFiguresSchema = z.object({
  customers: z.number(),
  contactCoverage: z.number().nullable(),
  crossSellRate: z.number().nullable(),
  aumStart: z.number(),
  aumEnd: z.number(),
  aumUplift: z.number().nullable(),
  upgrades: z.number(),
  downgrades: z.number(),
  dormantAtStart: z.number(),
  reactivated: z.number(),
  dormantReactivationRate: z.number().nullable(),
  handoffsDue: z.number(),
  handoffsWithinSla: z.number(),
  handoffSlaCompliance: z.number().nullable(),
});

export const pluginStatusSchema = z.object({
  id: z.string(),
  version: z.string(),
  state: z.string(),
  healthy: z.boolean(),
  error: z.string().optional(),
});

export const auditRecordSchema = z.object({
  sequence: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  subject: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export const meSchema = z.object({
  principal: principalSchema,
  permissions: z.array(z.string()),
  scope: z.string(),
  exportLimit: z.number().int(),
});

export const devTokenRequestSchema = z.object({
  role: roleSchema,
  userId: entityIdSchema.optional(),
  branchId: entityIdSchema.optional(),
  managerId: entityIdSchema.optional(),
});
