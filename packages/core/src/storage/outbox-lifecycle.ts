// The outbox's state transitions as pure functions, so that the memory store and the SQL stores
// (which apply them with a compare-and-set) move messages through exactly the same life cycle.
import type { OutboxClaim, OutboxSettleOptions } from './port.js';
import type { OutboxMessage, OutboxMessageInput } from './records.js';

export type OutboxOutcome =
  | { type: 'sent'; at: string; providerMessageId?: string }
  | { type: 'rejected'; at: string; reason: string }
  | { type: 'retry'; at: string; error: string }
  | { type: 'dead'; at: string; reason: string }
  /** Handed back unsent (the worker stops, the channel paused): the claim's attempt is returned. */
  | { type: 'release'; at: string };

/** The fields a producer decides; everything else belongs to the life cycle. */
export type QueuedFields = Pick<OutboxMessage, 'id' | 'customerId' | 'channel' | 'purpose' | 'payload' | 'createdAt'>;

export function queuedFields(message: OutboxMessageInput | OutboxMessage): QueuedFields {
  const { id, customerId, channel, purpose, payload, createdAt } = message;
  return { id, customerId, channel, purpose, payload, createdAt };
}

/** A freshly queued message: pending, no attempts, due at `nextAttemptAt` or at once. */
export function queuedMessage(input: OutboxMessageInput): OutboxMessage {
  const queued: OutboxMessage = { ...queuedFields(input), status: 'pending', attempts: 0 };
  return input.nextAttemptAt === undefined ? queued : { ...queued, nextAttemptAt: input.nextAttemptAt };
}

/** When the message can next be claimed (epoch ms), or undefined once it has left the queue. */
export function dueMs(message: OutboxMessage): number | undefined {
  if (message.status === 'pending') return Date.parse(message.nextAttemptAt ?? message.createdAt);
  if (message.status === 'sending') return Date.parse(message.leaseUntil ?? message.createdAt);
  return undefined;
}

export function isClaimable(message: OutboxMessage, claim: Pick<OutboxClaim, 'now' | 'channels'>): boolean {
  const due = dueMs(message);
  if (due === undefined || due > Date.parse(claim.now)) return false;
  return claim.channels === undefined || claim.channels.includes(message.channel);
}

export function leaseEnd(claim: Pick<OutboxClaim, 'now' | 'leaseMs'>): string {
  return new Date(Date.parse(claim.now) + Math.max(0, claim.leaseMs)).toISOString();
}

/** The message as claimed: `sending`, held by the worker until the lease ends, one more attempt. */
export function claimedMessage(message: OutboxMessage, claim: OutboxClaim): OutboxMessage {
  const { nextAttemptAt: _due, claimedBy: _holder, leaseUntil: _lease, ...rest } = message;
  return { ...rest, status: 'sending', attempts: message.attempts + 1, claimedBy: claim.workerId, leaseUntil: leaseEnd(claim) };
}

function withoutClaim(message: OutboxMessage): OutboxMessage {
  const { claimedBy: _holder, leaseUntil: _lease, nextAttemptAt: _due, ...rest } = message;
  return rest;
}

/**
 * The message after an outcome, or undefined when the transition does not apply: the message has
 * already left the queue, or a worker id is given and that worker no longer holds it.
 */
export function settledMessage(message: OutboxMessage, outcome: OutboxOutcome, options: OutboxSettleOptions = {}): OutboxMessage | undefined {
  if (message.status !== 'pending' && message.status !== 'sending') return undefined;
  if (options.workerId !== undefined && (message.status !== 'sending' || message.claimedBy !== options.workerId)) return undefined;
  // A claim counted the attempt already; settling an unclaimed message counts it here.
  const attempts = message.status === 'pending' && (outcome.type === 'sent' || outcome.type === 'retry') ? message.attempts + 1 : message.attempts;
  const base = { ...withoutClaim(message), attempts };
  switch (outcome.type) {
    case 'sent':
      return {
        ...base,
        status: 'sent',
        sentAt: outcome.at,
        ...(outcome.providerMessageId === undefined ? {} : { providerMessageId: outcome.providerMessageId }),
      };
    case 'rejected':
      return { ...base, status: 'rejected', rejectedAt: outcome.at, reason: outcome.reason };
    case 'retry':
      return { ...base, status: 'pending', nextAttemptAt: outcome.at, lastError: outcome.error };
    case 'dead':
      return { ...base, status: 'dead', deadAt: outcome.at, reason: outcome.reason };
    case 'release':
      if (message.status !== 'sending') return undefined;
      return { ...base, status: 'pending', attempts: Math.max(0, message.attempts - 1), nextAttemptAt: outcome.at };
  }
}

/** A dead letter back in the queue, due at `now`, with its attempts reset; undefined if not dead. */
export function replayedMessage(message: OutboxMessage, now: string): OutboxMessage | undefined {
  if (message.status !== 'dead') return undefined;
  return {
    ...queuedFields(message),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    ...(message.lastError === undefined ? {} : { lastError: message.lastError }),
    replays: (message.replays ?? 0) + 1,
    replayedAt: now,
  };
}
