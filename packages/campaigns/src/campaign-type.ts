// The typed way for a plugin to write a campaign type. The kernel's `campaignTypes` point only knows
// `parameters` and `plan`; here both are typed, and the plan is validated against campaignPlanSchema
// with the type's id in every error.
import type { CampaignTypeImplementation } from '@kequn/core';
import type { z } from 'zod';
import { CampaignError, describeIssues } from './errors.js';
import { campaignPlanSchema, type CampaignPlan, type CampaignPlanInput } from './model.js';

export interface CampaignTypeDefinition<S extends z.ZodType> {
  /** The parameters a bank sets when it creates a campaign of this type. */
  parameters: S;
  /** Audience, journey, goal and triggers for validated parameters. */
  plan(parameters: z.output<S>): CampaignPlanInput;
}

export interface TypedCampaignType<S extends z.ZodType> extends CampaignTypeImplementation {
  readonly parameters: S;
  plan(parameters: unknown): CampaignPlanInput;
}

export function defineCampaignType<S extends z.ZodType>(definition: CampaignTypeDefinition<S>): TypedCampaignType<S> {
  return {
    parameters: definition.parameters,
    plan: (parameters: unknown) => definition.plan(parameters as z.output<S>),
  };
}

/** Validates parameters with the type's schema and its plan with campaignPlanSchema. */
export function planCampaign(typeId: string, implementation: CampaignTypeImplementation, parameters: unknown): { parameters: unknown; plan: CampaignPlan } {
  const parsed = implementation.parameters.safeParse(parameters);
  if (!parsed.success)
    throw new CampaignError('KQ_CAMPAIGN_PARAMETERS_INVALID', `Parameters for campaign type "${typeId}" are invalid: ${describeIssues(parsed.error.issues, 'parameters')}`);
  let produced: unknown;
  try {
    produced = implementation.plan(parsed.data);
  } catch (error) {
    throw new CampaignError('KQ_CAMPAIGN_PLAN_FAILED', `Campaign type "${typeId}" could not plan the campaign: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const plan = campaignPlanSchema.safeParse(produced);
  if (!plan.success)
    throw new CampaignError('KQ_CAMPAIGN_PLAN_INVALID', `Campaign type "${typeId}" produced an invalid plan: ${describeIssues(plan.error.issues, 'plan')}`);
  return { parameters: parsed.data, plan: plan.data };
}
