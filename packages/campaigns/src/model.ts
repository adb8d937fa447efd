// The campaign model: what a campaign type plans (audience, journey, goal, triggers, experiment) and
// what the bank configures and approves. Every shape is a zod schema, so plans from plugins, files
// (`kequn campaign create --file`) and the HTTP API are validated the same way, with paths in errors.
import { z } from 'zod';
import { channelKindSchema, contactPurposeSchema, isoDate, isoDateTime, localizedTextSchema } from '@kequn/core';
import { ruleSchema } from '@kequn/segments';

export const campaignIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lower-case letters, digits and dashes, e.g. "q4-threshold-50k"');

export const stepIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a step id such as "invite" or "call-2"');

/** A duration in whole days and/or hours, e.g. `{ days: 3 }`. */
export const durationSchema = z
  .strictObject({ days: z.number().int().min(0).max(366).default(0), hours: z.number().int().min(0).max(24 * 366).default(0) })
  .refine((value) => value.days > 0 || value.hours > 0, 'a duration needs days or hours');
export type Duration = z.infer<typeof durationSchema>;

/** The kinds of response a customer or manager can record against a campaign. */
export const responseKindSchema = z.enum([
  'clicked',
  'replied',
  'registered',
  'attended',
  'referred',
  'reached',
  'no_answer',
  'declined',
  'interested',
  'sold',
  'opted_out',
]);
export type ResponseKind = z.infer<typeof responseKindSchema>;

// ── audience ────────────────────────────────────────────────────────────────────────────────────

/**
 * Who may be enrolled. `segments` are segment ids from any segment strategy (tiers, featured groups,
 * ABCD, dormant…) — a customer in any of them qualifies; `rule` narrows further; `exclude` removes.
 * With neither `segments` nor `rule`, the audience is empty: a campaign never targets "everyone".
 */
export const audienceSchema = z
  .strictObject({
    segments: z.array(z.string().min(1)).default([]),
    rule: ruleSchema.optional(),
    exclude: z.array(z.string().min(1)).default([]),
  })
  .refine((audience) => audience.segments.length > 0 || audience.rule !== undefined, 'an audience needs segments or a rule');
export type Audience = z.infer<typeof audienceSchema>;

// ── journey ─────────────────────────────────────────────────────────────────────────────────────

/** A template: text per locale with `{{variable}}` placeholders filled from the recipient's data. */
export const templateSchema = z.strictObject({
  id: z.string().min(1),
  subject: localizedTextSchema.optional(),
  text: localizedTextSchema,
});
export type Template = z.infer<typeof templateSchema>;

const stepBase = { id: stepIdSchema, label: localizedTextSchema.optional() };

export const sendStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('send'),
  channel: channelKindSchema,
  template: templateSchema,
  /** Variants may use their own template (A/B/n copy tests). */
  variantTemplates: z.record(z.string(), templateSchema).optional(),
});

/** 营销工具包: what the manager takes to the call or visit. */
export const toolkitSchema = z.strictObject({
  script: localizedTextSchema,
  materials: z.array(z.strictObject({ title: localizedTextSchema, url: z.string().optional() })).default([]),
});
export type Toolkit = z.infer<typeof toolkitSchema>;

export const taskStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('task'),
  task: z.enum(['call', 'visit', 'invite']),
  toolkit: toolkitSchema,
  /** Working days the manager has to act. */
  dueInDays: z.number().int().min(1).max(60).default(3),
});

export const waitStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('wait'),
  /** Wait this long… */
  duration: durationSchema.optional(),
  /** …or until the customer responds with one of these, giving up after `timeout`. */
  until: z.strictObject({ responses: z.array(responseKindSchema).min(1), timeout: durationSchema }).optional(),
}).refine((step) => (step.duration === undefined) !== (step.until === undefined), 'a wait step needs exactly one of duration or until');

/** A condition a branch tests: a rule on the customer now, a recorded response, or the goal. */
export const branchConditionSchema = z.union([
  z.strictObject({ rule: ruleSchema }),
  z.strictObject({ responded: z.array(responseKindSchema).min(1), toStep: stepIdSchema.optional() }),
  z.strictObject({ goalMet: z.literal(true) }),
]);
export type BranchCondition = z.infer<typeof branchConditionSchema>;

export const branchStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('branch'),
  if: branchConditionSchema,
  /** Step ids to go to; `null` ends the journey. */
  then: stepIdSchema.nullable(),
  else: stepIdSchema.nullable(),
});

export const exitStepSchema = z.strictObject({ ...stepBase, type: z.literal('exit') });

export const journeyStepSchema = z.union([sendStepSchema, taskStepSchema, waitStepSchema, branchStepSchema, exitStepSchema]);
export type JourneyStep = z.infer<typeof journeyStepSchema>;
export type SendStep = z.infer<typeof sendStepSchema>;
export type TaskStep = z.infer<typeof taskStepSchema>;
export type WaitStep = z.infer<typeof waitStepSchema>;
export type BranchStep = z.infer<typeof branchStepSchema>;

/** Steps run in order; a branch jumps; the journey ends after the last step, at an exit, or on the goal. */
export const journeySchema = z
  .array(journeyStepSchema)
  .min(1)
  .max(50)
  .superRefine((steps, context) => {
    const ids = new Set<string>();
    steps.forEach((step, index) => {
      if (ids.has(step.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate step id "${step.id}"` });
      ids.add(step.id);
    });
    steps.forEach((step, index) => {
      if (step.type !== 'branch') return;
      for (const key of ['then', 'else'] as const) {
        const target = step[key];
        if (target !== null && !ids.has(target)) context.addIssue({ code: 'custom', path: [index, key], message: `no step "${target}" in this journey` });
        else if (target !== null && steps.findIndex((candidate) => candidate.id === target) <= index)
          context.addIssue({ code: 'custom', path: [index, key], message: `branches only jump forward; "${target}" comes before "${step.id}"` });
      }
    });
  });
export type Journey = z.infer<typeof journeySchema>;

// ── goal ────────────────────────────────────────────────────────────────────────────────────────

export const goalCriterionSchema = z.union([
  /** AUM at or above `amount` — held for `holdDays` consecutive days when given (达标 with a holding period). */
  z.strictObject({ aumAtLeast: z.number().positive(), holdDays: z.number().int().min(1).max(366).optional() }),
  /** Bought a product (any, or one of these ids / types), optionally for at least `minAmount`. */
  z.strictObject({
    purchase: z.strictObject({
      productIds: z.array(z.string().min(1)).optional(),
      productTypes: z.array(z.string().min(1)).optional(),
      minAmount: z.number().nonnegative().optional(),
    }),
  }),
  /** Any transaction or login: the customer is active again (休眠激活). */
  z.strictObject({ activity: z.strictObject({ minTransactions: z.number().int().min(1).default(1) }) }),
  /** A recorded response (attended, referred…), optionally counted. */
  z.strictObject({ response: responseKindSchema, atLeast: z.number().int().min(1).default(1) }),
  /** 推荐计划: a customer this one referred (a `referred` response naming them) reached the AUM bar. */
  z.strictObject({ referral: z.strictObject({ refereeAumAtLeast: z.number().positive() }) }),
  /** A segmentation rule that holds at the end of the window. */
  z.strictObject({ rule: ruleSchema }),
]);
export type GoalCriterion = z.infer<typeof goalCriterionSchema>;

export const goalSchema = z.strictObject({
  label: localizedTextSchema,
  /** Days after enrolment in which the goal counts. */
  windowDays: z.number().int().min(1).max(366),
  criterion: goalCriterionSchema,
  /** Leave the journey as soon as the goal is met (no more reminders to someone who converted). */
  exitOnGoal: z.boolean().default(true),
});
export type Goal = z.infer<typeof goalSchema>;

// ── triggers ────────────────────────────────────────────────────────────────────────────────────

export const triggerSchema = z.union([
  /** Enrol the audience when the campaign starts running (and on `kequn campaign run` again). */
  z.strictObject({ type: z.literal('start') }),
  /** Enrol customers when they enter one of these segments (`segment.membershipChanged`). */
  z.strictObject({ type: z.literal('segment_entry'), segments: z.array(z.string().min(1)).min(1) }),
  /** Enrol a customer when one of their events of this type arrives (a maturity, a tier change). */
  z.strictObject({ type: z.literal('event'), event: z.enum(['maturity', 'purchase', 'transaction', 'login', 'tier_upgrade', 'handoff_approved']) }),
  /** Enrol the audience on each of these dates (seasonal rhythm); each date enrols at most once. */
  z.strictObject({ type: z.literal('schedule'), dates: z.array(isoDate).min(1) }),
  /** Enrol only the customers bank code names through the API. */
  z.strictObject({ type: z.literal('api') }),
]);
export type Trigger = z.infer<typeof triggerSchema>;

// ── experiment ──────────────────────────────────────────────────────────────────────────────────

export const variantSchema = z.strictObject({ id: z.string().regex(/^[a-z0-9-]{1,16}$/), weight: z.number().positive().default(1) });

export const experimentSchema = z.strictObject({
  /** Share of the audience held out as the control group (never treated), e.g. 0.1. */
  holdout: z.number().min(0).max(0.5).default(0.1),
  /** A/B/n variants of the treatment; one variant `a` when absent. */
  variants: z.array(variantSchema).min(1).max(8).default([{ id: 'a', weight: 1 }]),
  /** Stratify assignment on this attribute (e.g. `tier.current`) so every stratum splits alike. */
  stratifyBy: z.string().min(1).optional(),
  /** Part of the assignment hash: change it to re-randomise a re-run of the same campaign. */
  seed: z.string().min(1).default('kequn'),
});
export type Experiment = z.infer<typeof experimentSchema>;

// ── the plan a campaign type produces ────────────────────────────────────────────────────────────

export const campaignPlanSchema = z.strictObject({
  audience: audienceSchema,
  journey: journeySchema,
  goal: goalSchema,
  triggers: z.array(triggerSchema).min(1).default([{ type: 'start' }]),
  /** Why the campaign contacts people: marketing needs consent; service and transactional less. */
  purpose: contactPurposeSchema.default('marketing'),
});
export type CampaignPlan = z.infer<typeof campaignPlanSchema>;
export type CampaignPlanInput = z.input<typeof campaignPlanSchema>;

// ── the campaign the bank configures ─────────────────────────────────────────────────────────────

/** 5×5 工作法: the stage of the campaign's life the board shows it in. */
export const fiveByFiveStageSchema = z.enum(['plan', 'distribution', 'reach', 'execution', 'review']);
export type FiveByFiveStage = z.infer<typeof fiveByFiveStageSchema>;

export const campaignStatusSchema = z.enum(['draft', 'pending_approval', 'approved', 'running', 'paused', 'completed', 'cancelled']);
export type CampaignStatus = z.infer<typeof campaignStatusSchema>;

export const costsSchema = z.strictObject({
  /** CNY per message or task, by channel. */
  perContact: z.partialRecord(channelKindSchema, z.number().nonnegative()).default({}),
  /** CNY per conversion (the reward, gift or rate bonus). */
  perConversion: z.number().nonnegative().default(0),
});

/** What a person writes (or the API receives) to create a campaign from a type. */
export const campaignInputSchema = z.strictObject({
  id: campaignIdSchema,
  type: z.string().min(1),
  name: localizedTextSchema,
  parameters: z.unknown(),
  /** Higher wins when campaigns compete for one customer (arbitration). */
  priority: z.number().int().min(0).max(100).default(10),
  experiment: experimentSchema.default({ holdout: 0.1, variants: [{ id: 'a', weight: 1 }], seed: 'kequn' }),
  costs: costsSchema.default({ perContact: {}, perConversion: 0 }),
  startsOn: isoDate.optional(),
  endsOn: isoDate.optional(),
  /** The owning branch; absent for head-office campaigns. */
  branchId: z.string().min(1).optional(),
});
export type CampaignInput = z.input<typeof campaignInputSchema>;

export const lifecycleEntrySchema = z.strictObject({
  from: campaignStatusSchema.nullable(),
  to: campaignStatusSchema,
  actor: z.string().min(1),
  at: isoDateTime,
  note: z.string().max(2000).optional(),
});
export type LifecycleEntry = z.infer<typeof lifecycleEntrySchema>;

export const campaignSchema = z.strictObject({
  id: campaignIdSchema,
  type: z.string().min(1),
  name: localizedTextSchema,
  parameters: z.unknown(),
  priority: z.number().int().min(0).max(100),
  experiment: experimentSchema,
  costs: costsSchema,
  startsOn: isoDate.optional(),
  endsOn: isoDate.optional(),
  branchId: z.string().min(1).optional(),
  plan: campaignPlanSchema,
  status: campaignStatusSchema,
  stage: fiveByFiveStageSchema,
  createdBy: z.string().min(1),
  createdAt: isoDateTime,
  /** Every status change with who made it: approvals are part of the record. */
  lifecycle: z.array(lifecycleEntrySchema),
  /** Schedule dates already enrolled, so a restart never enrols a date twice. */
  scheduledDatesDone: z.array(isoDate).default([]),
});
export type Campaign = z.infer<typeof campaignSchema>;
