// What comes back from channels: opt-outs and "TD" replies withdraw marketing consent, receipts are
// recorded, and a manager's task outcome becomes the contact record of that call or visit.
import {
  type ChannelKind,
  type Consent,
  type ContactRecord,
  type EventBus,
  type InboundEvent,
  type KequnStore,
  type Logger,
} from '@kequn/core';
import type { DispatcherEventMap } from './events.js';
import { outboxPayloadSchema } from './payload.js';

/** Replies to an SMS that mean "unsubscribe" (退订), compared after trimming, NFKC and upper-casing. */
export const smsOptOutReplies: readonly string[] = Object.freeze(['TD', 'T', '退订', 'STOP']);

export function isOptOutReply(text: string, replies: readonly string[] = smsOptOutReplies): boolean {
  const normalised = text.normalize('NFKC').trim().toUpperCase();
  return replies.some((reply) => reply.normalize('NFKC').toUpperCase() === normalised);
}

export type InboundResult =
  | { handled: true; action: 'consent_withdrawn' | 'already_withdrawn' | 'receipt_recorded' | 'reply_received' | 'task_outcome_recorded'; customerId?: string }
  | { handled: false; reason: 'unknown_customer' | 'unknown_channel' };

export interface InboundContext {
  store: KequnStore;
  events: EventBus<DispatcherEventMap>;
  logger: Logger;
  /** The channel kind of an adapter id (or of a kind itself). */
  kindOf(channel: string): ChannelKind | undefined;
  /** The customer a reply or opt-out came from, when the event names only an address. */
  customerByAddress(channel: ChannelKind, address: string): Promise<string | undefined>;
}

function unmatched(context: InboundContext, event: InboundEvent, reason: 'unknown_customer' | 'unknown_channel'): InboundResult {
  context.events.emit('inbound.unmatched', { type: event.type, channel: event.channel, reason, at: event.at });
  context.logger.warn(`An inbound ${event.type} from channel "${event.channel}" could not be matched (${reason}); nothing was recorded.`, { channel: event.channel, reason });
  return { handled: false, reason };
}

function latestMarketingChoice(consents: readonly Consent[], channel: ChannelKind): Consent | undefined {
  return consents
    .filter((consent) => consent.channel === channel && consent.purpose === 'marketing')
    .reduce<Consent | undefined>((latest, consent) => (latest === undefined || Date.parse(consent.recordedAt) >= Date.parse(latest.recordedAt) ? consent : latest), undefined);
}

/**
 * Appends a withdrawn marketing consent for the channel and an audit entry. The consent is written
 * first: should the audit write fail, the customer is protected and the retry adds only the entry.
 */
async function withdrawMarketingConsent(
  context: InboundContext,
  input: { customerId: string; channel: ChannelKind; adapter: string; at: string; via: InboundEvent['type']; detail?: string },
): Promise<InboundResult> {
  const customer = await context.store.customers.get(input.customerId);
  if (customer === undefined) return { handled: false, reason: 'unknown_customer' };
  const latest = latestMarketingChoice(customer.consents, input.channel);
  if (latest !== undefined && !latest.granted && Date.parse(latest.recordedAt) <= Date.parse(input.at)) {
    return { handled: true, action: 'already_withdrawn', customerId: customer.id };
  }
  const withdrawal: Consent = { channel: input.channel, purpose: 'marketing', granted: false, recordedAt: input.at };
  await context.store.customers.upsert([{ ...customer, consents: [...customer.consents, withdrawal] }]);
  await context.store.auditLog.append([
    {
      at: input.at,
      actor: `channel:${input.adapter}`,
      action: 'update',
      subject: `customer:${customer.id}`,
      details: { change: 'consent_withdrawn', channel: input.channel, purpose: 'marketing', via: input.via, ...(input.detail === undefined ? {} : { detail: input.detail }) },
    },
  ]);
  context.events.emit('customer.optedOut', { customerId: customer.id, channel: input.channel, via: input.via, at: input.at });
  return { handled: true, action: 'consent_withdrawn', customerId: customer.id };
}

async function customerOf(context: InboundContext, channel: ChannelKind, event: { customerId?: string; address?: string }): Promise<string | undefined> {
  if (event.customerId !== undefined) return event.customerId;
  return event.address === undefined ? undefined : context.customerByAddress(channel, event.address);
}

export async function handleInboundEvent(context: InboundContext, event: InboundEvent): Promise<InboundResult> {
  const channel = context.kindOf(event.channel);
  if (channel === undefined) return unmatched(context, event, 'unknown_channel');
  switch (event.type) {
    case 'opt_out': {
      const customerId = await customerOf(context, channel, event);
      if (customerId === undefined) return unmatched(context, event, 'unknown_customer');
      const result = await withdrawMarketingConsent(context, {
        customerId,
        channel,
        adapter: event.channel,
        at: event.at,
        via: 'opt_out',
        ...(event.detail === undefined ? {} : { detail: event.detail }),
      });
      return result.handled ? result : unmatched(context, event, result.reason);
    }
    case 'reply': {
      const customerId = await customerOf(context, channel, event);
      if (channel === 'sms' && isOptOutReply(event.text)) {
        if (customerId === undefined) return unmatched(context, event, 'unknown_customer');
        const result = await withdrawMarketingConsent(context, { customerId, channel, adapter: event.channel, at: event.at, via: 'reply', detail: 'unsubscribe reply' });
        return result.handled ? result : unmatched(context, event, result.reason);
      }
      context.events.emit('inbound.reply', { channel: event.channel, ...(customerId === undefined ? {} : { customerId }), text: event.text, at: event.at });
      return { handled: true, action: 'reply_received', ...(customerId === undefined ? {} : { customerId }) };
    }
    case 'receipt': {
      const subject = event.idempotencyKey !== undefined ? `outbox:${event.idempotencyKey}` : `provider-message:${event.providerMessageId ?? 'unknown'}`;
      await context.store.auditLog.append([
        {
          at: event.at,
          actor: `channel:${event.channel}`,
          action: 'update',
          subject,
          details: {
            receipt: event.status,
            ...(event.providerMessageId === undefined ? {} : { providerMessageId: event.providerMessageId }),
            ...(event.detail === undefined ? {} : { detail: event.detail }),
          },
        },
      ]);
      context.events.emit('message.receipt', {
        ...(event.idempotencyKey === undefined ? {} : { messageId: event.idempotencyKey }),
        ...(event.providerMessageId === undefined ? {} : { providerMessageId: event.providerMessageId }),
        channel: event.channel,
        status: event.status,
        at: event.at,
      });
      return { handled: true, action: 'receipt_recorded' };
    }
    case 'task_outcome':
      return recordTaskOutcome(context, channel, event);
  }
}

async function recordTaskOutcome(context: InboundContext, channel: ChannelKind, event: Extract<InboundEvent, { type: 'task_outcome' }>): Promise<InboundResult> {
  const queued = await context.store.outbox.get(event.idempotencyKey);
  const payload = outboxPayloadSchema.safeParse(queued?.payload);
  const campaignId = payload.success ? payload.data.campaignId : undefined;
  const record: ContactRecord = {
    id: `task:${event.idempotencyKey}`,
    customerId: event.customerId,
    managerId: event.managerId,
    channel,
    purpose: queued?.purpose ?? 'service',
    outcome: event.outcome,
    occurredAt: event.at,
    ...(campaignId === undefined ? {} : { campaignId }),
    ...(event.note === undefined ? {} : { note: event.note.slice(0, 2_000) }),
  };
  await context.store.contactRecords.append([record]);
  context.events.emit('task.outcome', { messageId: event.idempotencyKey, customerId: event.customerId, managerId: event.managerId, outcome: event.outcome, at: event.at });
  if (event.outcome === 'opted_out') {
    await withdrawMarketingConsent(context, { customerId: event.customerId, channel, adapter: event.channel, at: event.at, via: 'task_outcome' });
  }
  return { handled: true, action: 'task_outcome_recorded', customerId: event.customerId };
}
