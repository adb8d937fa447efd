// The public API of @kequn/core. Anything not exported here is internal.

// Plugin kernel
export {
  Kernel,
  createKernel,
  kernelToken,
  KEQUN_API_VERSION,
  type KernelOptions,
  type PluginStatus,
  type PluginLifecycleState,
} from './kernel/kernel.js';
export {
  definePlugin,
  type KequnPlugin,
  type PluginDefinition,
  type PluginContext,
  type ContributionRegistrar,
} from './kernel/plugin.js';
export {
  pluginManifestSchema,
  pluginManifestJsonSchema,
  parsePluginManifest,
  pluginIdSchema,
  activationEventSchema,
  contributesSchema,
  type PluginManifest,
  type PluginManifestInput,
  type Contributes,
} from './kernel/manifest.js';
export {
  defineContributionPoint,
  requireMethods,
  contributionIdSchema,
  type ContributionPoint,
  type ContributionDeclaration,
  type DeclarationOf,
  type ImplementationOf,
} from './kernel/contribution-point.js';
export { Contributions, type HookMode } from './kernel/contributions.js';
export * from './kernel/points.js';
export {
  DisposableStore,
  toDisposable,
  isDisposable,
  emptyDisposable,
  type Disposable,
} from './kernel/lifecycle.js';
export {
  Emitter,
  EventBus,
  type Event,
  type Listener,
  type SubscribeOptions,
  type ListenerErrorHandler,
} from './kernel/event.js';
export type { KequnEventMap } from './kernel/events.js';
export {
  createToken,
  defineService,
  ServiceScopeContainer,
  type Token,
  type ServiceDefinition,
  type ServiceScope,
  type ServiceResolver,
} from './kernel/di.js';
export {
  createLogger,
  consoleLogSink,
  minimumLevel,
  type Logger,
  type LogSink,
  type LogRecord,
  type LogLevel,
} from './kernel/logger.js';
export { MemoryStateStorage, type StateStorage, type PluginState } from './kernel/state.js';
export { KequnError, isKequnError, describeError, type KequnErrorCode } from './kernel/errors.js';
export { Bitset } from './kernel/bitset.js';

// Customer model, attributes and the columnar customer table
export * from './model/customer.js';
export * from './model/localized-text.js';
export * from './attributes/index.js';
export * from './table/index.js';
export * from './customers/customer-model.js';
export * from './customers/memberships.js';
export * from './storage/index.js';

// Masking of personal financial information for screens, exports and channels that are not secure
export {
  maskAccountNumber,
  maskEmail,
  maskIdNumber,
  maskName,
  maskPersonalText,
  maskPhone,
} from './privacy/masking.js';
