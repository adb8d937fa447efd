// The public API of @kequn/campaigns. Anything not exported here is internal.
export * from './model.js';
export { defineCampaignType, planCampaign, type CampaignTypeDefinition, type TypedCampaignType } from './campaign-type.js';
export { CampaignError, type CampaignErrorCode } from './errors.js';
export { CampaignEngine, createCampaignEngine, stageOf, messageIdOf, type CampaignEngineOptions, type CampaignAction, type CustomerLookup, type BatchProgress, type RunResult, type ActorInput } from './engine.js';
export { assignBatch, cohortAt, inGlobalHoldout, uniformHash, type Assignment, type AssignOptions } from './assignment.js';
export { SegmentResolver, audienceIds, audienceRows, type AudienceContext } from './audience.js';
export { judgeGoal, refereeIds, type GoalEvidence, type GoalResult } from './goals.js';
export { CampaignStore, DONE_MS, type Enrolment, type EnrolmentState, type Cohort, type StepRun, type StepOutcome, type CampaignResponse, type Deferral } from './store/campaign-store.js';
export { migrateCampaignStore, campaignMigrations, LATEST_CAMPAIGN_SCHEMA_VERSION } from './store/migrations.js';
export { campaignReport, proportionDifference, meanDifference, type CampaignReport, type CohortResult, type FunnelStep, type Interval, type ReportOptions } from './report.js';
export { marketingText, formatAmount } from './wording.js';
