// What the dispatcher tells its listeners. Payloads name messages, customers and channels by id and
// never carry an address or a rendered text, so they can be logged as they are.
import type { ChannelKind, InboundEvent } from '@kequn/core';

interface MessageEvent {
  messageId: string;
  customerId: string;
  channel: ChannelKind;
  /** The contribution id of the channel adapter used. */
  adapterId: string;
  at: string;
}

export interface DispatcherEventMap {
  'message.sent': MessageEvent & { attempts: number; providerMessageId?: string };
  /** Permanently refused: by the adapter, or before sending (no address, consent, template). */
  'message.rejected': MessageEvent & { reason: string; detail?: Record<string, unknown> };
  'message.retryScheduled': MessageEvent & { attempts: number; error: string; nextAttemptAt: string };
  'message.deadLettered': MessageEvent & { attempts: number; reason: string };
  'message.replayed': { messageId: string; by: string; at: string };
  /** A channel failed `failures` times in a row (or its probe failed) and is paused. */
  'channel.breakerOpened': { channel: ChannelKind; adapterId: string; failures: number; lastError: string; probeAt: string; at: string };
  'channel.breakerClosed': { channel: ChannelKind; adapterId: string; at: string };
  /** A customer withdrew marketing consent on a channel (an opt-out, a "TD" reply, a task outcome). */
  'customer.optedOut': { customerId: string; channel: ChannelKind; via: InboundEvent['type']; at: string };
  'message.receipt': { messageId?: string; providerMessageId?: string; channel: string; status: 'delivered' | 'failed' | 'read'; at: string };
  'task.outcome': { messageId: string; customerId: string; managerId: string; outcome: string; at: string };
  /** A reply that is not an opt-out, for the bank's own handling (the text is the customer's). */
  'inbound.reply': { channel: string; customerId?: string; text: string; at: string };
  /** An inbound event that could not be matched to a customer or channel. */
  'inbound.unmatched': { type: InboundEvent['type']; channel: string; reason: 'unknown_customer' | 'unknown_channel'; at: string };
}
