// Every route group of the Kequn API. A package adds a group by exporting its own array of
// contracts and appending it here.
import { campaignRoutes } from './campaigns.js';
import { customerRoutes } from './customers.js';
import { metaRoutes } from './meta.js';
import {
  auditRoutes,
  bookRoutes,
  handoffRoutes,
  kpiRoutes,
  pluginRoutes,
  tierRoutes,
} from './operations.js';
import { segmentRoutes } from './segments.js';

export {
  campaignRoutes,
  campaignActionSchema,
  campaignParams,
  campaignReportSchema,
  campaignRunEventSchema,
  campaignTypeSummarySchema,
  type CampaignActionName,
  type CampaignReportView,
  type CampaignRunEvent,
} from './campaigns.js';
export { customerRoutes, customerListQuerySchema, MAX_PAGE_LIMIT } from './customers.js';
export { metaRoutes } from './meta.js';
export {
  auditRoutes,
  bookRoutes,
  handoffRoutes,
  kpiRoutes,
  pluginRoutes,
  tierRoutes,
} from './operations.js';
export { segmentRoutes } from './segments.js';

export const kequnRoutes = [
  ...metaRoutes,
  ...customerRoutes,
  ...segmentRoutes,
  ...tierRoutes,
  ...bookRoutes,
  ...handoffRoutes,
  ...kpiRoutes,
  ...pluginRoutes,
  ...auditRoutes,
  ...campaignRoutes,
] as const;

export type KequnRoutes = typeof kequnRoutes;
export type KequnRouteId = KequnRoutes[number]['id'];
