// The records a store keeps beyond the customer model itself: the append-only histories
// (segment memberships, tier changes), contact records, the outbox and the audit log.
// Every history carries an effective date so that "who was high_end on 2026-06-30" stays answerable.
import { z } from 'zod';
import { channelKindSchema, contactPurposeSchema, isoDate, isoDateTime } from '../model/customer.js';

/** A customer joining or leaving a segment (a featured group, a campaign list…) from a given day. */
export const membershipChangeSchema = z.object({
  segmentId: z.string().min(1),
  customerId: z.string().min(1),
  change: z.enum(['joined', 'left']),
  /** The first day the change holds. */
  effectiveFrom: isoDate,
  recordedAt: isoDateTime,
  /** Why, in words a reviewer understands (the rule, the campaign, the person). */
  reason: z.string().optional(),
});
export type MembershipChange = z.infer<typeof membershipChangeSchema>;

/** A customer's move into an asset tier (提升 or downgrade), effective from a given day. */
export const tierChangeSchema = z.object({
  customerId: z.string().min(1),
  /** The tier id as the tiering configuration names it, e.g. `high_end`. */
  tier: z.string().min(1),
  /** The tier before, or null for the customer's first tiering. */
  previousTier: z.string().min(1).nullable(),
  effectiveFrom: isoDate,
  recordedAt: isoDateTime,
  reason: z.string().optional(),
});
export type TierChange = z.infer<typeof tierChangeSchema>;

/** One attempt to reach a customer, by a manager or a channel, and what came of it. */
export const contactRecordSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  managerId: z.string().min(1).optional(),
  channel: channelKindSchema,
  purpose: contactPurposeSchema,
  outcome: z.enum(['reached', 'no_answer', 'declined', 'interested', 'sold', 'opted_out']),
  occurredAt: isoDateTime,
  campaignId: z.string().min(1).optional(),
  note: z.string().max(2000).optional(),
});
export type ContactRecord = z.infer<typeof contactRecordSchema>;

/**
 * The dispatch life cycle of an outbox message:
 * `pending` → `sending` (claimed by one worker until its lease ends) → `sent` | `rejected` (permanent)
 * | `pending` again with `nextAttemptAt` after a retryable failure | `dead` (dead-lettered, until a
 * person replays it). A lease that ends without an outcome makes the message claimable again, so a
 * worker that dies loses nothing.
 */
export const outboxStatusSchema = z.enum(['pending', 'sending', 'sent', 'rejected', 'dead']);
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

/**
 * A message waiting to be sent. It is written in the same transaction as the decision that caused
 * it, so a crash can neither send a message nobody decided on nor lose one that was decided.
 * The id is the idempotency key: queuing the same id twice keeps the first.
 */
export const outboxMessageSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  channel: channelKindSchema,
  purpose: contactPurposeSchema,
  /** What the channel adapter needs (template id, variables); never the raw phone number. */
  payload: z.record(z.string(), z.unknown()),
  createdAt: isoDateTime,
  status: outboxStatusSchema.default('pending'),
  /** Claims (and direct outcomes) so far; a worker that dies mid-send still used an attempt. */
  attempts: z.number().int().nonnegative().default(0),
  /** Not before this instant: set by a producer that schedules ahead, and by every retry. */
  nextAttemptAt: isoDateTime.optional(),
  /** While `sending`: the worker holding the message and when its lease ends. */
  claimedBy: z.string().min(1).optional(),
  leaseUntil: isoDateTime.optional(),
  sentAt: isoDateTime.optional(),
  /** The channel's own id for the message, for matching delivery receipts. */
  providerMessageId: z.string().min(1).optional(),
  /** The last retryable failure. */
  lastError: z.string().optional(),
  rejectedAt: isoDateTime.optional(),
  deadAt: isoDateTime.optional(),
  /** Why the message was rejected or dead-lettered, e.g. `consent_missing`, `max_attempts: HTTP 503`. */
  reason: z.string().optional(),
  /** How often a person replayed it from the dead letters, and when last. */
  replays: z.number().int().nonnegative().optional(),
  replayedAt: isoDateTime.optional(),
});
export type OutboxMessage = z.infer<typeof outboxMessageSchema>;
export type OutboxMessageInput = z.input<typeof outboxMessageSchema>;

/** Who viewed, exported, unmasked or changed what (PIPL, JR/T 0171-2020 expect this trail). */
export const auditEntrySchema = z.object({
  at: isoDateTime,
  /** The user or system that acted, e.g. `manager:M0101` or `import:customers.csv`. */
  actor: z.string().min(1),
  action: z.enum(['view', 'export', 'unmask', 'create', 'update', 'delete', 'import', 'assign']),
  /** What was acted on, e.g. `customer:C000000001` or `file:customers.csv`. */
  subject: z.string().min(1),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
/** An audit entry as stored: numbered in the order it was written. */
export type RecordedAuditEntry = AuditEntry & { sequence: number };
