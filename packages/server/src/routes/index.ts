// The built-in route groups. A bank's own group is passed to createKequnApp({ routes }).
import type { ServerRoute } from '../route-table.js';
import { campaignServerRoutes } from './campaigns.js';
import { customerServerRoutes } from './customers.js';
import { metaServerRoutes } from './meta.js';
import { operationsServerRoutes } from './operations.js';
import { segmentServerRoutes } from './segments.js';

export const kequnServerRoutes: readonly ServerRoute[] = [
  ...metaServerRoutes,
  ...customerServerRoutes,
  ...segmentServerRoutes,
  ...operationsServerRoutes,
  ...campaignServerRoutes,
];
