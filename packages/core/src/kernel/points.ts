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

export interface CampaignTypeImplementation {
  /** Validates a bank's configuration of a campaign of this type. */
  readonly parameters: z.ZodType;
}

export const campaignTypesPoint = defineContributionPoint<
  CampaignTypeDeclaration,
  CampaignTypeImplementation
>({
  id: 'campaignTypes',
  activationEvent: 'onCampaignType',
  declaration: campaignTypeDeclarationSchema,
  checkImplementation: (implementation) => {
    const parameters = (implementation as { parameters?: unknown } | null)?.parameters;
    return parameters instanceof z.ZodType
      ? undefined
      : 'the implementation needs a zod schema in `parameters`';
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

export interface OutboundMessage {
  templateId: string;
  locale: 'zh-CN' | 'en';
  text: string;
  subject?: string;
}

export type SendResult =
  | { status: 'accepted'; providerMessageId?: string }
  | { status: 'rejected'; reason: string }
  | { status: 'failed'; reason: string; retryAfterMs?: number };

export interface ChannelAdapter {
  send(
    message: OutboundMessage,
    recipient: { customerId: string; address: string },
    options: { idempotencyKey: string },
  ): Promise<SendResult>;
}

export const channelsPoint = defineContributionPoint<ChannelDeclaration, ChannelAdapter>({
  id: 'channels',
  activationEvent: 'onChannel',
  declaration: channelDeclarationSchema,
  checkImplementation: requireMethods('send'),
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
