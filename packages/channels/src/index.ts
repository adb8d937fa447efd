// The public API of @kequn/channels. Anything not exported here is internal.
export {
  createDispatcher,
  Dispatcher,
  dispatcherSettingsSchema,
  type ChannelBinding,
  type ChannelBindings,
  type DispatcherOptions,
  type DispatcherSettings,
  type DispatcherSettingsInput,
  type DispatchSummary,
} from './dispatcher.js';
export {
  resolveChannels,
  type ResolveChannelsOptions,
  type ResolvedChannel,
} from './channel-bindings.js';
export {
  OutboxDelivery,
  type DeliveryChannel,
  type DeliveryOutcome,
  type OutboxDeliveryOptions,
} from './delivery.js';
export type { DispatcherEventMap } from './events.js';
export {
  campaignMessageId,
  inlineTemplateSchema,
  localeSchema,
  outboxPayloadSchema,
  parseOutboxPayload,
  templateVariableValueSchema,
  type InlineTemplate,
  type MessageLocale,
  type OutboxPayload,
  type OutboxPayloadInput,
  type TemplateVariableValue,
} from './payload.js';
export {
  builtInTemplates,
  createTemplateRegistry,
  escapeHtml,
  handoffIntroductionTemplate,
  messageTemplateSchema,
  missingVariables,
  renderTemplate,
  templateVariables,
  tierLabels,
  TemplateRegistry,
  type MessageTemplate,
  type RenderedTemplate,
  type TemplateVariables,
} from './templates.js';
export { resolveRecipient, type RecipientResolution } from './recipient.js';
export {
  backoffDelay,
  CircuitBreaker,
  seededRandom,
  TokenBucket,
  type BreakerPolicy,
  type BreakerState,
  type BreakerTransition,
  type RetryPolicy,
} from './resilience.js';
export { isOptOutReply, smsOptOutReplies, type InboundResult } from './inbound.js';
export { rejectUnsupportedKind } from './adapter-kinds.js';
export {
  describeTransportFailure,
  HealthTracker,
  parseRetryAfter,
  probeHealth,
  requestWithTimeout,
  type PeerExchange,
  type PeerRequest,
  type PeerResponse,
} from './adapter-http.js';
export { ChannelsError, TemplateVariableMissingError, type ChannelsErrorCode } from './errors.js';
