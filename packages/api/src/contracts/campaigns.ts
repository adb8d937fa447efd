// Campaigns (营销活动): the catalogue of campaign types, campaigns created from a type and moved
// through their life cycle (four eyes on approval), audience size, a run of due journey steps with
// live progress (server-sent events) and the report. Campaign shapes are @kequn/campaigns' own zod
// schemas, so the API validates exactly what the engine accepts.
import { z } from 'zod';
import {
  campaignIdSchema,
  campaignInputSchema,
  campaignSchema,
  campaignStatusSchema,
} from '@kequn/campaigns';
import { defineRoute } from '../contract.js';
import { localizedTextSchema, problemSchema } from '../schemas.js';

export const campaignParams = z.object({ campaignId: campaignIdSchema });

/** The life-cycle actions of one campaign; approve and reject also need `campaigns.approve`. */
export const campaignActionSchema = z.enum([
  'submit',
  'approve',
  'reject',
  'start',
  'pause',
  'resume',
  'complete',
  'cancel',
]);
export type CampaignActionName = z.infer<typeof campaignActionSchema>;

export const campaignTypeSummarySchema = z.object({
  id: z.string(),
  pluginId: z.string(),
  label: localizedTextSchema,
});

const intervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number() });

/** A campaign's results. Aggregates only: counts, rates and CNY, never a customer. */
export const campaignReportSchema = z.object({
  campaignId: z.string(),
  status: z.string(),
  asOf: z.string(),
  enrolled: z.number().int(),
  funnel: z.array(
    z.object({
      stepId: z.string(),
      type: z.string(),
      reached: z.number().int(),
      sent: z.number().int(),
      tasks: z.number().int(),
      suppressed: z.number().int(),
      suppressedBy: z.record(z.string(), z.number().int()),
      deferredBy: z.record(z.string(), z.number().int()),
    }),
  ),
  cohorts: z.array(
    z.object({
      cohort: z.enum(['treatment', 'holdout', 'global_holdout']),
      variant: z.string(),
      customers: z.number().int(),
      conversions: z.number().int(),
      conversionRate: z.number(),
      meanAumChange: z.number(),
    }),
  ),
  uplift: intervalSchema.nullable(),
  variantUplift: z.record(z.string(), intervalSchema),
  aumUpliftPerCustomer: intervalSchema.nullable(),
  aumUpliftTotal: z.number().nullable(),
  incrementalConversions: z.number().nullable(),
  cost: z.object({
    contacts: z.number(),
    rewards: z.number(),
    total: z.number(),
    perConversion: z.number().nullable(),
    perIncrementalConversion: z.number().nullable(),
  }),
});
export type CampaignReportView = z.infer<typeof campaignReportSchema>;

const runFigures = {
  /** Enrolments whose due step ran in batches of this campaign. */
  enrolments: z.number().int(),
  sent: z.number().int(),
  suppressed: z.number().int(),
  deferred: z.number().int(),
};

/** One server-sent event of a campaign run. */
export const campaignRunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), campaignId: z.string(), at: z.string() }),
  /** After each committed batch of this campaign: the figures so far. */
  z.object({
    type: z.literal('progress'),
    campaignId: z.string(),
    batches: z.number().int(),
    ...runFigures,
  }),
  /** The run's effect on this campaign, read back from the store: step runs and deferrals added. */
  z.object({
    type: z.literal('complete'),
    campaignId: z.string(),
    sent: z.number().int(),
    tasks: z.number().int(),
    suppressed: z.number().int(),
    deferred: z.number().int(),
    ms: z.number(),
  }),
  z.object({ type: z.literal('error'), problem: problemSchema }),
]);
export type CampaignRunEvent = z.infer<typeof campaignRunEventSchema>;

export const campaignRoutes = [
  defineRoute({
    id: 'campaigns.types',
    method: 'get',
    path: '/campaign-types',
    summary: 'Campaign types the server’s plugins contribute (达标有礼, 到期再营销, 休眠激活…)',
    tag: 'campaigns',
    access: 'campaigns.read',
    response: z.object({ types: z.array(campaignTypeSummarySchema) }),
  }),
  defineRoute({
    id: 'campaigns.list',
    method: 'get',
    path: '/campaigns',
    summary: 'Campaigns in scope (a branch role sees its branch’s and head office’s), by status',
    tag: 'campaigns',
    access: 'campaigns.read',
    query: z.object({ status: campaignStatusSchema.optional() }),
    response: z.object({ items: z.array(campaignSchema) }),
  }),
  defineRoute({
    id: 'campaigns.create',
    method: 'post',
    path: '/campaigns',
    summary:
      'Create a draft campaign from a type; a branch role creates for its own branch; audited',
    tag: 'campaigns',
    access: 'campaigns.manage',
    body: campaignInputSchema,
    response: campaignSchema,
    successStatus: 201,
  }),
  defineRoute({
    id: 'campaigns.get',
    method: 'get',
    path: '/campaigns/{campaignId}',
    summary:
      'One campaign: its plan, status, 5×5 stage and every life-cycle change with who made it',
    tag: 'campaigns',
    access: 'campaigns.read',
    params: campaignParams,
    response: campaignSchema,
  }),
  defineRoute({
    id: 'campaigns.audience',
    method: 'get',
    path: '/campaigns/{campaignId}/audience',
    summary: 'Audience size preview: how many customers the campaign’s audience selects now',
    tag: 'campaigns',
    access: 'campaigns.read',
    params: campaignParams,
    response: z.object({ campaignId: z.string(), customers: z.number().int().nonnegative() }),
  }),
  defineRoute({
    id: 'campaigns.act',
    method: 'post',
    path: '/campaigns/{campaignId}/actions',
    summary:
      'A life-cycle action: submit, approve, reject, start, pause, resume, complete, cancel; approval never by the creator; audited',
    tag: 'campaigns',
    access: 'campaigns.manage',
    params: campaignParams,
    body: z.object({
      action: campaignActionSchema,
      note: z.string().trim().min(1).max(2000).optional(),
    }),
    response: campaignSchema,
  }),
  defineRoute({
    id: 'campaigns.run',
    method: 'post',
    path: '/campaigns/{campaignId}/runs',
    summary: 'Run due journey steps now and stream the run’s progress as server-sent events',
    tag: 'campaigns',
    access: 'campaigns.run',
    params: campaignParams,
    body: z.object({}).strict(),
    response: campaignRunEventSchema,
    produces: 'event-stream',
  }),
  defineRoute({
    id: 'campaigns.report',
    method: 'get',
    path: '/campaigns/{campaignId}/report',
    summary:
      'Funnel, conversions, uplift against the holdout, AUM uplift and cost: aggregates only',
    tag: 'campaigns',
    access: 'campaigns.report',
    params: campaignParams,
    query: z.object({ asOf: z.iso.datetime({ offset: true }).optional() }),
    response: campaignReportSchema,
  }),
] as const;
