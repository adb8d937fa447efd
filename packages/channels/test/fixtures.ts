// Test fixtures: customers who consented on every channel, a clock the dispatcher's sleep advances,
// and a scripted adapter that records every idempotency key it accepted, as a real peer would.
import {
  toDisposable,
  type ChannelAdapter,
  type ChannelCapabilities,
  type ChannelRecipient,
  type Customer,
  type Disposable,
  type InboundEvent,
  type KequnStore,
  type OutboundMessage,
  type OutboxMessageInput,
  type SendResult,
} from '@kequn/core';
import { reachableCustomers, seedReachableCustomers, testManagers } from '../src/testing/index.js';

export const START = Date.parse('2026-05-06T02:00:00Z');

export class FakeClock {
  ms: number;
  constructor(start = START) {
    this.ms = start;
  }
  readonly now = (): number => this.ms;
  readonly sleep = async (ms: number): Promise<void> => {
    this.ms += ms;
  };
  iso(offsetMs = 0): string {
    return new Date(this.ms + offsetMs).toISOString();
  }
}

export const managers = testManagers;
export { reachableCustomers };

export async function seedStore(store: KequnStore, customers: readonly Customer[]): Promise<void> {
  await seedReachableCustomers(store, customers);
}

export function smsMessage(id: string, customerId: string, createdAt: string, payload: Record<string, unknown> = {}): OutboxMessageInput {
  return {
    id,
    customerId,
    channel: 'sms',
    purpose: 'marketing',
    payload: { template: { id: 'salon', text: { 'zh-CN': '{{name}}，诚邀您参加本周六理财沙龙。', en: '{{name}}, join our wealth salon this Saturday.' } }, ...payload },
    createdAt,
  };
}

export interface SendCall {
  key: string;
  at: number;
  message: OutboundMessage;
  recipient: ChannelRecipient;
  result: SendResult['status'];
}

/**
 * An adapter whose answer for each call comes from a script. Like a peer that checks idempotency
 * keys, it answers a repeated key with the first acceptance and counts it in `duplicates`.
 */
export class ScriptedAdapter implements ChannelAdapter {
  readonly capabilities: ChannelCapabilities;
  readonly calls: SendCall[] = [];
  readonly accepted = new Map<string, number>();
  duplicates = 0;
  #listeners = new Set<(event: InboundEvent) => void>();

  constructor(
    private readonly clock: { now(): number },
    private readonly script: (call: { index: number; key: string; at: number; message: OutboundMessage }) => SendResult | Promise<SendResult> = () => ({ status: 'accepted' }),
    capabilities: Partial<ChannelCapabilities> = {},
  ) {
    this.capabilities = { kinds: ['text', 'rich', 'task'], deliveryReceipts: true, replies: true, ...capabilities };
  }

  async send(message: OutboundMessage, recipient: ChannelRecipient, options: { idempotencyKey: string }): Promise<SendResult> {
    const at = this.clock.now();
    if (this.accepted.has(options.idempotencyKey)) {
      this.duplicates += 1;
      return { status: 'accepted', providerMessageId: `p-${options.idempotencyKey}` };
    }
    const result = await this.script({ index: this.calls.length, key: options.idempotencyKey, at, message });
    this.calls.push({ key: options.idempotencyKey, at, message, recipient, result: result.status });
    if (result.status === 'accepted') this.accepted.set(options.idempotencyKey, at);
    return result;
  }

  health() {
    return { state: 'healthy' as const, checkedAt: new Date(this.clock.now()).toISOString() };
  }

  onInbound(listener: (event: InboundEvent) => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => {
      this.#listeners.delete(listener);
    });
  }

  emit(event: InboundEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
