// What a producer (a campaign step, a hand-off) puts in an outbox message's payload. The dispatcher
// validates it when it sends; producers can validate early with `parseOutboxPayload`.
import { localizedTextSchema, messageKindSchema } from '@kequn/core';
import { z } from 'zod';
import { ChannelsError, describeIssues } from './errors.js';

export const localeSchema = z.enum(['zh-CN', 'en']);
export type MessageLocale = z.infer<typeof localeSchema>;

export const templateVariableValueSchema = z.union([z.string(), z.number().finite(), z.boolean()]);
export type TemplateVariableValue = z.infer<typeof templateVariableValueSchema>;

/** A template written into the message itself rather than registered by id. */
export const inlineTemplateSchema = z.object({
  id: z.string().min(1),
  text: localizedTextSchema,
  subject: localizedTextSchema.optional(),
  /** An HTML body for rich messages; variables are HTML-escaped. */
  html: localizedTextSchema.optional(),
});
export type InlineTemplate = z.infer<typeof inlineTemplateSchema>;

/**
 * The payload. Other top-level fields are kept: their plain values (strings, numbers, booleans)
 * are template variables too, below `variables`, and a `<role>Id` naming a manager gives
 * `{{<role>Name}}` (a hand-off's `receiverId` → `{{receiverName}}`).
 */
export const outboxPayloadSchema = z.looseObject({
  /** A registered template id (`handoff.introduction`) or an inline template. */
  template: z.union([z.string().min(1), inlineTemplateSchema]),
  /** Default by channel: `task` for phone and branch, `rich` for e-mail, else `text`. */
  kind: messageKindSchema.optional(),
  variables: z.record(z.string(), templateVariableValueSchema).optional(),
  /** Passed to the adapter as is (a task's materials, a card's link). */
  data: z.record(z.string(), z.unknown()).optional(),
  campaignId: z.string().min(1).optional(),
  stepId: z.string().min(1).optional(),
  variant: z.string().min(1).optional(),
});
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>;
export type OutboxPayloadInput = z.input<typeof outboxPayloadSchema>;

/** Validates a payload; throws `KQ_OUTBOX_PAYLOAD_INVALID` naming each field. */
export function parseOutboxPayload(payload: unknown, where = 'an outbox message'): OutboxPayload {
  const parsed = outboxPayloadSchema.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new ChannelsError('KQ_OUTBOX_PAYLOAD_INVALID', `The payload of ${where} is not a valid message payload: ${describeIssues(parsed.error.issues)}.`, {
    where,
  });
}

/** The outbox id of a campaign step's message, which is also its idempotency key. */
export function campaignMessageId(campaignId: string, customerId: string, stepId: string): string {
  return `${campaignId}:${customerId}:${stepId}`;
}
