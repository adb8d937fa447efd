// Test helpers of @kequn/channels: customers who can be reached on every channel, and outbox
// messages for them, for tests and benchmarks that run the dispatcher against a channel's peer.
// Needs @kequn/testing (an optional peer dependency).
import {
  channelKindSchema,
  type ChannelKind,
  type ContactPurpose,
  type Customer,
  type KequnStore,
  type Logger,
  type Manager,
  type OutboxMessageInput,
  type OutboxStatusCounts,
} from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import type { Dispatcher } from '../dispatcher.js';
import type { DispatcherEventMap } from '../events.js';
import type { InlineTemplate } from '../payload.js';

export { startLoopbackServer, type LoopbackHandler, type LoopbackServer } from './loopback.js';

const bank = createSyntheticBank({ seed: 11, customers: 60 });
const branchId = bank.branches[0]?.id ?? 'B1';

/** The two managers the customers' templates can name: `M-SENDER` and `M-RECEIVER` (their manager). */
export const testManagers: readonly Manager[] = Object.freeze([
  { id: 'M-SENDER', name: '王芳', role: 'counter_wealth_manager', branchId, capacity: 300 },
  { id: 'M-RECEIVER', name: '陈立', role: 'vip_wealth_manager', branchId, capacity: 200 },
]);

/**
 * Customers `C0000`… with a phone (1381234xxxx), an e-mail, a WeCom id and an app user id, managed
 * by `M-RECEIVER`, with marketing and service consent on every channel. Customer 0 is 张三明.
 */
export function reachableCustomers(count: number): Customer[] {
  return Array.from({ length: count }, (_, index) => {
    const customer = bank.customerAt(index % 60);
    const suffix = String(index).padStart(4, '0');
    return {
      ...customer,
      id: `C${suffix}`,
      relationshipManagerId: 'M-RECEIVER',
      doNotContact: false,
      profile: {
        ...customer.profile,
        name: index === 0 ? '张三明' : customer.profile.name,
        phone: `1381234${suffix}`,
        email: `customer${index}@example.com`,
        wecomExternalUserId: `wm-${index}`,
        appUserId: `app-${index}`,
      },
      consents: channelKindSchema.options.flatMap((channel) =>
        (['marketing', 'service'] as const).map((purpose) => ({
          channel,
          purpose,
          granted: true,
          recordedAt: '2026-01-05T10:00:00+08:00',
        })),
      ),
    };
  });
}

/** Writes the customers, the two managers and the synthetic bank's branches. */
export async function seedReachableCustomers(
  store: KequnStore,
  customers: readonly Customer[],
): Promise<void> {
  await store.customers.upsert(customers);
  await store.managers.upsert(testManagers);
  await store.branches.upsert(bank.branches);
}

/** A wealth-salon invitation in both languages, addressed by the customer's (masked) name. */
export const salonInvitation: InlineTemplate = Object.freeze({
  id: 'salon',
  text: {
    'zh-CN': '{{name}}，诚邀您参加本周六理财沙龙。',
    en: '{{name}}, join our wealth salon this Saturday.',
  },
  subject: { 'zh-CN': '理财沙龙邀请', en: 'Wealth salon invitation' },
});

export interface TestMessagesOptions {
  channel: ChannelKind;
  /** How many messages; customers are used in turn. */
  count: number;
  customers: readonly Customer[];
  /** Ids are `<idPrefix>-<n>`, zero-padded. Default: the channel. */
  idPrefix?: string;
  purpose?: ContactPurpose;
  createdAt?: string;
  template?: InlineTemplate | string;
}

/** `count` outbox messages on one channel, due at once. */
export function testMessages(options: TestMessagesOptions): OutboxMessageInput[] {
  const createdAt = options.createdAt ?? new Date().toISOString();
  const width = String(options.count).length;
  return Array.from({ length: options.count }, (_, index) => ({
    id: `${options.idPrefix ?? options.channel}-${String(index).padStart(width, '0')}`,
    customerId: options.customers[index % options.customers.length]?.id ?? 'C0000',
    channel: options.channel,
    purpose: options.purpose ?? 'marketing',
    payload: { template: options.template ?? salonInvitation },
    createdAt,
  }));
}

/** Messages that have left the queue: sent, rejected or dead-lettered. */
export function settledCount(counts: OutboxStatusCounts): number {
  return counts.sent + counts.rejected + counts.dead;
}

/**
 * A clock the dispatcher's `sleep` advances, so retries and cool-downs take no real time. `whileAsleep`
 * runs during each sleep: a test brings a peer down or back up there, at a known point of the run.
 */
export class TestClock {
  ms: number;
  whileAsleep: ((ms: number) => Promise<void> | void) | undefined;

  constructor(start = Date.parse('2026-05-06T02:00:00Z')) {
    this.ms = start;
  }

  readonly now = (): number => this.ms;

  readonly sleep = async (ms: number): Promise<void> => {
    this.ms += ms;
    await this.whileAsleep?.(ms);
  };

  iso(offsetMs = 0): string {
    return new Date(this.ms + offsetMs).toISOString();
  }
}

export interface RecordedEvent<K extends keyof DispatcherEventMap = keyof DispatcherEventMap> {
  name: K;
  event: DispatcherEventMap[K];
}

/** Every message and breaker event of a dispatcher, in order. */
export function recordDispatcherEvents(dispatcher: Pick<Dispatcher, 'on'>): RecordedEvent[] {
  const seen: RecordedEvent[] = [];
  const names = [
    'message.sent',
    'message.rejected',
    'message.retryScheduled',
    'message.deadLettered',
    'channel.breakerOpened',
    'channel.breakerClosed',
  ] as const;
  for (const name of names)
    dispatcher.on(name, (event) => seen.push({ name, event } as RecordedEvent));
  return seen;
}

/** The events of one name from a recording, typed. */
export function eventsNamed<K extends keyof DispatcherEventMap>(
  recorded: readonly RecordedEvent[],
  name: K,
): Array<DispatcherEventMap[K]> {
  return recorded
    .filter((entry): entry is RecordedEvent<K> => entry.name === name)
    .map((entry) => entry.event);
}

/**
 * A `TestClock.whileAsleep` script for an outage during the circuit breaker's cool-downs: the peer
 * goes down once the circuit has opened the first time (so the probe fails and it opens again), and
 * comes back once it has opened the second time.
 */
export function outageDuringCoolDowns(
  recorded: readonly RecordedEvent[],
  peer: { down(): Promise<void>; up(): Promise<void> },
): () => Promise<void> {
  let state: 'failing' | 'down' | 'back' = 'failing';
  return async () => {
    const opened = eventsNamed(recorded, 'channel.breakerOpened').length;
    if (opened === 1 && state === 'failing') {
      state = 'down';
      await peer.down();
    }
    if (opened === 2 && state === 'down') {
      state = 'back';
      await peer.up();
    }
  };
}

/** A logger that keeps quiet, for runs that fail on purpose. */
export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
