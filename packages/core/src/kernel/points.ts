// The kernel's built-in contribution points and the contracts their implementations follow.
import { z } from 'zod';
import {
  contributionIdSchema,
  defineContributionPoint,
  localizedTextSchema,
  requireMethods,
  type LocalizedText,
} from './contribution-point.js';
import type { Bitset } from './bitset.js';
import { channelKindSchema, type Customer } from '../model/customer.js';
import {
  attributeDefinitionSchema,
  attributeTypeSchema,
  type AttributeReadContext,
  type AttributeValue,
} from '../attributes/index.js';
import type { ColumnarTable } from '../table/index.js';
import type { Disposable } from './lifecycle.js';

// ── segment strategies ──────────────────────────────────────────────────────────────────────────

export const segmentDescriptorSchema = z.object({
  id: contributionIdSchema,
  label: localizedTextSchema,
  description: localizedTextSchema.optional(),
});
export type SegmentDescriptor = z.infer<typeof segmentDescriptorSchema>;

export const segmentStrategyDeclarationSchema = z.object({
  id: contributionIdSchema,
  label: localizedTextSchema,
  description: localizedTextSchema.optional(),
  /** Mutually exclusive segments (tiers, ABCD classes) or overlapping ones (featured groups). */
  exclusive: z.boolean().default(false),
});
export type SegmentStrategyDeclaration = z.infer<typeof segmentStrategyDeclarationSchema>;

/** Membership of each segment, as a bitset over the rows of the customer table. */
export type SegmentMemberships = ReadonlyMap<string, Bitset>;

export interface SegmentStrategy {
  /** The segments this strategy produces, in priority order. */
  segments(): readonly SegmentDescriptor[];
  /** Evaluates every live row of the customer table. */
  evaluate(table: ColumnarTable<Customer>): SegmentMemberships;
}

export const segmentStrategiesPoint = defineContributionPoint<
  SegmentStrategyDeclaration,
  SegmentStrategy
>({
  id: 'segmentStrategies',
  activationEvent: 'onSegmentStrategy',
  declaration: segmentStrategyDeclarationSchema,
  checkImplementation: requireMethods('segments', 'evaluate'),
});

// ── attributes ──────────────────────────────────────────────────────────────────────────────────

export type AttributeDeclaration = z.infer<typeof attributeDefinitionSchema>;

/** A computed attribute: the manifest declares its type and labels, activate() gives `read`. */
export interface AttributeImplementation {
  read(customer: Customer, context: AttributeReadContext): AttributeValue | null | undefined;
}

export const attributesPoint = defineContributionPoint<
  AttributeDeclaration,
  AttributeImplementation
>({
  id: 'attributes',
  activationEvent: 'onAttribute',
  declaration: attributeDefinitionSchema,
  checkImplementation: requireMethods('read'),
});

// ── operators ───────────────────────────────────────────────────────────────────────────────────

export const operatorDeclarationSchema = z.object({
  id: contributionIdSchema,
  label: localizedTextSchema,
  /** Attribute types the operator applies to. */
  appliesTo: z.array(attributeTypeSchema).min(1),
});
export type OperatorDeclaration = z.infer<typeof operatorDeclarationSchema>;

export interface OperatorImplementation {
  /** True when an attribute value satisfies the operator against the rule's operand. */
  test(value: AttributeValue | null, operand: unknown): boolean;
}

export const operatorsPoint = defineContributionPoint<OperatorDeclaration, OperatorImplementation>({
  id: 'operators',
  activationEvent: 'onOperator',
  declaration: operatorDeclarationSchema,
  checkImplementation: requireMethods('test'),
});

// ── campaign types ──────────────────────────────────────────────────────────────────────────────

export const campaignTypeDeclarationSchema = z.object({
  id: contributionIdSchema,
  label: localizedTextSchema,
  description: localizedTextSchema.optional(),
});
export type CampaignTypeDeclaration = z.infer<typeof campaignTypeDeclarationSchema>;

/**
 * A campaign type (达标有礼, 到期再营销…): the bank configures campaigns from it. `plan` turns validated
 * parameters into the campaign's audience, journey, goal and triggers. Their exact shapes (rules,
 * journey steps) belong to `@kequn/campaigns`, which validates every plan and offers the typed
 * `defineCampaignType()`; the kernel only needs to know the two members exist.
 */
export interface CampaignTypeImplementation {
  /** Validates a bank's configuration of a campaign of this type. */
  readonly parameters: z.ZodType;
  /** The campaign plan for validated parameters (see `@kequn/campaigns` for its schema). */
  plan(parameters: unknown): unknown;
}

export const campaignTypesPoint = defineContributionPoint<
  CampaignTypeDeclaration,
  CampaignTypeImplementation
>({
  id: 'campaignTypes',
  activationEvent: 'onCampaignType',
  declaration: campaignTypeDeclarationSchema,
  checkImplementation: (implementation) => {
    const candidate = implementation as { parameters?: unknown; plan?: unknown } | null;
    if (!(candidate?.parameters instanceof z.ZodType))
      return 'the implementation needs a zod schema in `parameters`';
    return typeof candidate.plan === 'function'
      ? undefined
      : 'the implementation needs a `plan(parameters)` method';
  },
});

// ── channels ────────────────────────────────────────────────────────────────────────────────────

export const channelDeclarationSchema = z.object({
  id: contributionIdSchema,
  kind: channelKindSchema,
  label: localizedTextSchema,
  /** False for channels whose content can be read by third parties: values are masked there. */
  secure: z.boolean().default(false),
});
export type ChannelDeclaration = z.infer<typeof channelDeclarationSchema>;

/** `text` (SMS, push), `rich` (e-mail, WeCom cards) and `task` (a call or visit for a manager). */
export const messageKindSchema = z.enum(['text', 'rich', 'task']);
export type MessageKind = z.infer<typeof messageKindSchema>;

/** A rendered message, ready for one recipient. */
export interface OutboundMessage {
  kind: MessageKind;
  templateId: string;
  locale: 'zh-CN' | 'en';
  text: string;
  subject?: string;
  /** Structured content the channel may use: a task's script and materials, a card's link. */
  data?: Readonly<Record<string, unknown>>;
}

/** Who receives it: the address is resolved at send time and never stored in the outbox. */
export interface ChannelRecipient {
  customerId: string;
  /** Phone number, e-mail address, WeCom external user id, app user id or manager id. */
  address: string;
  /** The customer's relationship manager, for channels that act through one (WeCom, tasks). */
  managerId?: string;
}

export interface SendOptions {
  /** The same key for every attempt of one message; peers use it to drop duplicates. */
  idempotencyKey: string;
  signal?: AbortSignal;
}

export type SendResult =
  | { status: 'accepted'; providerMessageId?: string }
  /** Permanent: retrying cannot help (bad address, content refused, recipient blocked). */
  | { status: 'rejected'; reason: string }
  /** Retryable: timeouts, 5xx, rate limited. */
  | { status: 'failed'; reason: string; retryAfterMs?: number };

export interface ChannelCapabilities {
  readonly kinds: readonly MessageKind[];
  /** Longest text the channel takes, in characters; longer messages are refused before sending. */
  readonly maxLength?: number;
  /** The peer's documented sending rate; dispatchers never exceed it. */
  readonly ratePerSecond?: number;
  readonly deliveryReceipts: boolean;
  readonly replies: boolean;
  /** With `sendBatch`: the most messages one batch may hold. */
  readonly maxBatchSize?: number;
}

/** One message of a batch send. */
export interface BatchSendItem {
  message: OutboundMessage;
  recipient: ChannelRecipient;
  /** The message's own key, as `send` would get it: peers drop a repeat of any item by it. */
  idempotencyKey: string;
}

export interface ChannelHealth {
  state: 'healthy' | 'degraded' | 'down';
  detail?: string;
  checkedAt: string;
}

/** What comes back from a channel: delivery receipts, replies, opt-outs and task outcomes. */
export type InboundEvent =
  | {
      type: 'receipt';
      channel: string;
      idempotencyKey?: string;
      providerMessageId?: string;
      status: 'delivered' | 'failed' | 'read';
      at: string;
      detail?: string;
    }
  | { type: 'reply'; channel: string; customerId?: string; address?: string; text: string; at: string }
  /** The customer withdrew consent on this channel (an SMS "TD" reply, an unsubscribe link). */
  | { type: 'opt_out'; channel: string; customerId?: string; address?: string; at: string; detail?: string }
  /** The human channel's delivery result: what the manager recorded for a call or visit task. */
  | {
      type: 'task_outcome';
      channel: string;
      idempotencyKey: string;
      customerId: string;
      managerId: string;
      outcome: 'reached' | 'no_answer' | 'declined' | 'interested' | 'sold' | 'opted_out';
      at: string;
      note?: string;
    };

export interface ChannelAdapter {
  readonly capabilities: ChannelCapabilities;
  send(message: OutboundMessage, recipient: ChannelRecipient, options: SendOptions): Promise<SendResult>;
  /**
   * Optional, for peers that take many messages in one request (an SMS platform's batch
   * submission): answers one result per item, in the items' order, never throwing for an item's
   * refusal. Dispatchers use it for up to `capabilities.maxBatchSize` messages at a time.
   */
  sendBatch?(items: readonly BatchSendItem[], options?: { signal?: AbortSignal }): Promise<SendResult[]>;
  health(): ChannelHealth | Promise<ChannelHealth>;
  /** Receipts, replies and opt-outs as they arrive; absent when the channel has none. */
  onInbound?(listener: (event: InboundEvent) => void): Disposable;
}

export const channelsPoint = defineContributionPoint<ChannelDeclaration, ChannelAdapter>({
  id: 'channels',
  activationEvent: 'onChannel',
  declaration: channelDeclarationSchema,
  checkImplementation: requireMethods('send', 'health'),
});

// ── components ──────────────────────────────────────────────────────────────────────────────────

export const componentDeclarationSchema = z.object({
  id: z
    .string()
    .regex(
      /^kq-[a-z0-9]+(-[a-z0-9]+)*$/,
      'expected a custom element tag such as "kq-tier-pyramid"',
    ),
  label: localizedTextSchema,
});
export type ComponentDeclaration = z.infer<typeof componentDeclarationSchema>;

export interface ComponentImplementation {
  /** Registers the element (lazily loading its module); called only when the tag is needed. */
  define(options: { prefix: string }): void | Promise<void>;
}

export const componentsPoint = defineContributionPoint<
  ComponentDeclaration,
  ComponentImplementation
>({
  id: 'components',
  activationEvent: 'onComponent',
  declaration: componentDeclarationSchema,
  checkImplementation: requireMethods('define'),
});

// ── settings (documentation for settings UIs; values are validated by the plugin's zod schema) ──

export const settingDeclarationSchema = z.object({
  id: z.string().min(1),
  label: localizedTextSchema,
  description: localizedTextSchema.optional(),
});
export type SettingDeclaration = z.infer<typeof settingDeclarationSchema>;

export const builtInContributionPoints = [
  segmentStrategiesPoint,
  campaignTypesPoint,
  channelsPoint,
  operatorsPoint,
  attributesPoint,
  componentsPoint,
] as const;

export type { LocalizedText };
