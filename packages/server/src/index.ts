// The public API of @kequn/server: the Kequn HTTP API over the kernel and a store.
export { createKequnApp, type KequnApp, type KequnAppOptions } from './app.js';
export {
  BankState,
  CUSTOM_STRATEGY,
  monthsBefore,
  type BankStateOptions,
  type CustomSegment,
} from './state.js';
export { createAuthenticator, type Authenticator, type AuthOptions } from './auth.js';
export {
  route,
  checkRouteTable,
  type ServerRoute,
  type RouteContext,
  type RouteResult,
  type Audit,
} from './route-table.js';
export { openApiDocument } from './openapi.js';
export {
  CampaignService,
  campaignVisible,
  shippedCampaignTypePlugins,
  type CampaignServiceOptions,
} from './campaigns.js';
export { ServerError, problemFor, type ServerErrorCode } from './errors.js';
export { scopeOf, rowsInScope, customerInScope, describeScope, type DataScope } from './scope.js';
export { RateLimiter, type RateLimitOptions } from './rate-limit.js';
export {
  serverOptionsSchema,
  type ServerOptions,
  type ServerOptionsInput,
  type ServerLimits,
} from './options.js';
export {
  seedSyntheticBank,
  openServerStore,
  startKequnServer,
  type StartOptions,
  type RunningServer,
} from './start.js';
