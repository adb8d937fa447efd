// The public API of @kequn/components. Importing it registers nothing: tags are defined by the
// `@kequn/components/define/*` entry points or by calling defineKequnElements().
export { KqProvider } from './elements/provider.js';
export { KqTierPyramid, type TierFigures } from './elements/tier-pyramid.js';
export {
  KqCustomerList,
  type CustomerRow,
  type CustomerSortKey,
} from './elements/customer-list.js';
export {
  KqCustomerCard,
  type Customer360,
  type SegmentExplanation,
} from './elements/customer-card.js';
export { KqSegmentBuilder } from './elements/segment-builder.js';
export { KqTierMigration, type TierMatrix } from './elements/tier-migration.js';
export {
  KqContactPlan,
  contactOutcomes,
  type ContactChannel,
  type ContactPlan,
  type ContactPlanItem,
  type ContactOutcomeEntry,
  type ContactRecorder,
} from './elements/contact-plan.js';
export {
  KqHandoffQueue,
  DEFAULT_APPROVAL_DAYS,
  handoffDeadline,
  handoffSlaState,
  type HandoffCase,
  type HandoffSlaState,
  type HandoffStatusFilter,
} from './elements/handoff-queue.js';
export {
  KqKpiDashboard,
  trendWindows,
  type KpiId,
  type KpiPeriod,
  type KpiReport,
} from './elements/kpi-dashboard.js';
export {
  KqCampaignBoard,
  campaignActionsFor,
  type CampaignView,
  type BoardCampaignAction,
} from './elements/campaign-board.js';
export { KqCampaignFunnel, type CampaignReport } from './elements/campaign-funnel.js';
export {
  ChartController,
  type ChartAdapter,
  type ChartRenderer,
  type ChartSeries,
  type ChartSpec,
} from './foundation/chart.js';
export {
  nodeOf,
  ruleOf,
  pathsOf,
  localIssues,
  operatorsByKind,
  type AttributeDescription,
  type BuilderNode,
} from './elements/segment-rule.js';
export { kequnElements, type KequnElementName } from './elements/index.js';
export { defineKequnElements, KequnDefineError, type DefineOptions } from './define/registry.js';
export { defineElement } from './foundation/define.js';
export { KequnElement, type LoadFailure, type LoadStatus } from './foundation/base.js';
export {
  kequnClientContext,
  KEQUN_CLIENT_CONTEXT_KEY,
  type KequnComponentClient,
} from './foundation/context.js';
export {
  kequnEvent,
  type KequnEventMap,
  type KequnEvent,
  type KequnEventName,
  type ContactOutcome,
} from './foundation/events.js';
export {
  resolveLocale,
  normalizeLocale,
  kequnLocales,
  type KequnLocale,
} from './foundation/locale.js';
export {
  formatCny,
  formatCount,
  formatDate,
  formatMonth,
  formatPercent,
} from './foundation/format.js';
export { KEQUN_COMPONENTS_VERSION, KEQUN_CONTEXT_LINE } from './foundation/version.js';
