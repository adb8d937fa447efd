// The in-process dispatcher: claims due outbox messages, checks consent and do-not-contact once
// more, renders the template for the customer, and sends through the channel's adapter — with
// retries (exponential backoff, full jitter), a token bucket and a circuit breaker per channel, and
// dead letters a person can replay. Several dispatchers may share one store: claims never overlap.
import { createContactPolicy, type ContactPolicy } from '@kequn/contact-policy';
import {
  EventBus,
  Kernel,
  channelKindSchema,
  consoleLogSink,
  createLogger,
  minimumLevel,
  type ChannelKind,
  type Disposable,
  type InboundEvent,
  type KequnStore,
  type Logger,
  type OutboxMessage,
  type OutboxStatusCounts,
} from '@kequn/core';
import { z } from 'zod';
import { ChannelsError, describeIssues } from './errors.js';
import type { DispatcherEventMap } from './events.js';
import { resolveChannels, type ChannelBindings } from './channel-bindings.js';
import { OutboxDelivery, type DeliveryChannel, type DeliveryOutcome } from './delivery.js';
import { handleInboundEvent, type InboundResult } from './inbound.js';
import { CircuitBreaker, TokenBucket } from './resilience.js';
import type { TemplateRegistry } from './templates.js';

export const dispatcherSettingsSchema = z.object({
  /** Names this dispatcher in claims; unique per process. A random id when absent. */
  workerId: z.string().min(1).optional(),
  /** How long a claim holds a message; a dispatcher that dies releases its messages after this. */
  leaseMs: z.number().int().positive().default(300_000),
  /** Messages claimed per channel per pass. */
  batchSize: z.number().int().min(1).max(10_000).default(100),
  /**
   * Messages being prepared and sent at once. With a channel that sends in batches, give it a few
   * batches' worth, so that one batch goes out while others are answered.
   */
  concurrency: z.number().int().min(1).max(1_000).default(16),
  /** How long `start()` sleeps at most when there is nothing to send. */
  pollIntervalMs: z.number().int().positive().default(1_000),
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).default(5),
      baseMs: z.number().int().positive().default(1_000),
      maxMs: z.number().int().positive().default(300_000),
    })
    .prefault({}),
  /** Messages per second per channel kind; the adapter's documented rate applies if lower. */
  rateLimits: z.partialRecord(channelKindSchema, z.number().positive()).default({}),
  breaker: z
    .object({
      failureThreshold: z.number().int().min(1).default(5),
      coolDownMs: z.number().int().positive().default(30_000),
      /** Dead-letter a channel's messages once it has been failing this long (absent: wait for it). */
      deadLetterAfterOpenMs: z.number().int().positive().optional(),
    })
    .prefault({}),
  /** The bank's offset from UTC in minutes, for "today" (the customer's current tier). */
  utcOffsetMinutes: z.number().int().min(-720).max(840).default(480),
});
export type DispatcherSettings = z.infer<typeof dispatcherSettingsSchema>;
export type DispatcherSettingsInput = z.input<typeof dispatcherSettingsSchema>;

export type { ChannelBinding, ChannelBindings } from './channel-bindings.js';

export interface DispatcherOptions extends DispatcherSettingsInput {
  store: KequnStore;
  /** A kernel (its `channels` contributions, one per kind) or adapters by channel kind. */
  channels: Kernel | ChannelBindings;
  /** With a kernel: which contribution serves a kind when several do. Default: the first declared. */
  preferredChannels?: Partial<Record<ChannelKind, string>>;
  /** The final consent and do-not-contact check. Default: `createContactPolicy()`. */
  policy?: ContactPolicy;
  /** Default: the built-in templates. */
  templates?: TemplateRegistry;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** How `runUntilIdle` and `start` wait. Tests pass one that advances their clock. */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1), for jitter. Default `Math.random`. */
  random?: () => number;
  logger?: Logger;
  /** Finds the customer behind an address in a reply or opt-out that names no customer. */
  resolveCustomerByAddress?(channel: ChannelKind, address: string): Promise<string | undefined>;
}

export interface DispatchSummary {
  sent: number;
  rejected: number;
  retried: number;
  deadLettered: number;
}

interface Binding extends DeliveryChannel {
  bucket: TokenBucket | undefined;
}

/**
 * Accepted sends written per store transaction. Each commit rewrites every page it touched, so a few
 * hundred messages a commit cost far less per message than the few dozen that answer together.
 */
const SETTLE_BATCH = 500;

/** Remembered recipients, so a reply naming only a phone number finds its customer. */
const ADDRESS_MEMORY = 100_000;

function randomWorkerId(): string {
  return `dispatcher-${Math.random().toString(36).slice(2, 10)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const totalsKey: Record<DeliveryOutcome, keyof DispatchSummary | undefined> = {
  sent: 'sent',
  rejected: 'rejected',
  retried: 'retried',
  deadLettered: 'deadLettered',
  released: undefined,
};

export class Dispatcher {
  readonly workerId: string;
  readonly settings: DispatcherSettings;
  readonly #events = new EventBus<DispatcherEventMap>();
  readonly #store: KequnStore;
  readonly #options: DispatcherOptions;
  readonly #delivery: OutboxDelivery;
  readonly #clock: () => number;
  readonly #logger: Logger;
  readonly #addresses = new Map<string, string>();
  readonly #subscriptions: Disposable[] = [];
  readonly #totals: DispatchSummary = { sent: 0, rejected: 0, retried: 0, deadLettered: 0 };
  #bindings: Promise<Binding[]> | undefined;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(options: DispatcherOptions) {
    const parsed = dispatcherSettingsSchema.safeParse(options);
    if (!parsed.success) {
      throw new ChannelsError('KQ_DISPATCHER_SETTINGS_INVALID', `The dispatcher settings are invalid: ${describeIssues(parsed.error.issues)}.`);
    }
    this.settings = parsed.data;
    this.workerId = parsed.data.workerId ?? randomWorkerId();
    this.#options = options;
    this.#store = options.store;
    this.#clock = options.clock ?? Date.now;
    this.#logger =
      options.logger ?? (options.channels instanceof Kernel ? options.channels.logger : createLogger(minimumLevel(consoleLogSink, 'info'), 'channels'));
    this.#delivery = new OutboxDelivery({
      store: options.store,
      workerId: this.workerId,
      retry: this.settings.retry,
      utcOffsetMinutes: this.settings.utcOffsetMinutes,
      logger: this.#logger,
      events: this.#events,
      policy: options.policy ?? createContactPolicy(),
      ...(options.templates === undefined ? {} : { templates: options.templates }),
      clock: this.#clock,
      ...(options.random === undefined ? {} : { random: options.random }),
      onDelivered: (channel, address, customerId) => this.#remember(channel, address, customerId),
      sendConcurrency: this.settings.concurrency,
      settleBatch: SETTLE_BATCH,
    });
  }

  /** Subscribe to what happens: `dispatcher.on('channel.breakerOpened', ({ channel }) => …)`. */
  on<K extends keyof DispatcherEventMap & string>(name: K, listener: (event: DispatcherEventMap[K]) => unknown): Disposable {
    return this.#events.on(name, listener);
  }

  /** Counts since the dispatcher was created. */
  totals(): DispatchSummary {
    return { ...this.#totals };
  }

  /**
   * Sends until nothing this dispatcher can send is left: waits (through `sleep`) for retries, rate
   * limits and breaker cool-downs. Returns what this run did. `maxWaitMs` stops it instead of
   * waiting longer than that for the next message. Messages other workers hold are theirs: the run
   * ends when only those are left, unless `waitForLeases` asks it to wait for their leases to end
   * (to take over from a worker that died).
   */
  async runUntilIdle(options: { maxWaitMs?: number; waitForLeases?: boolean } = {}): Promise<DispatchSummary> {
    this.#assertOpen();
    const before = this.totals();
    const sleep = this.#options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (;;) {
      if ((await this.#pass()) > 0) continue;
      const now = this.#clock();
      const wake = await this.#nextWake(now, options.waitForLeases ?? false);
      if (wake === undefined) break;
      const wait = Math.max(1, wake - now);
      if (wait > (options.maxWaitMs ?? Number.POSITIVE_INFINITY)) break;
      await sleep(wait);
    }
    const after = this.totals();
    return {
      sent: after.sent - before.sent,
      rejected: after.rejected - before.rejected,
      retried: after.retried - before.retried,
      deadLettered: after.deadLettered - before.deadLettered,
    };
  }

  /** Dispatches in the background until `stop()`. */
  start(): void {
    this.#assertOpen();
    if (this.#loop !== undefined) return;
    this.#stopping = false;
    this.#loop = this.#run();
  }

  /** Finishes the messages in hand and stops; claims nothing more. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
  }

  /** Stops and lets go of the adapters' inbound streams and every listener. */
  async close(): Promise<void> {
    await this.stop();
    this.#closed = true;
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    this.#events.dispose();
  }

  /** The states of the outbox, for a health page. */
  counts(): Promise<OutboxStatusCounts> {
    return this.#store.outbox.countByStatus();
  }

  deadLetters(page?: { afterId?: string; limit?: number }): Promise<OutboxMessage[]> {
    return this.#store.outbox.deadLetters(page);
  }

  /** Puts a dead letter back in the queue on a person's request, and audits who did it. */
  async replay(messageId: string, by: string): Promise<void> {
    const at = iso(this.#clock());
    const before = await this.#store.outbox.get(messageId);
    if (before === undefined || !(await this.#store.outbox.replay(messageId, at))) {
      throw new ChannelsError(
        'KQ_DEAD_LETTER_NOT_FOUND',
        `Message "${messageId}" is not a dead letter (${before === undefined ? 'no such message' : `it is ${before.status}`}); only dead letters can be replayed.`,
        { messageId },
      );
    }
    await this.#store.auditLog.append([
      { at, actor: by, action: 'update', subject: `outbox:${messageId}`, details: { change: 'dead_letter_replayed', reason: before.reason ?? null, attempts: before.attempts } },
    ]);
    this.#events.emit('message.replayed', { messageId, by, at });
  }

  /** Receipts, replies, opt-outs and task outcomes; adapters' inbound streams arrive here on their own. */
  async handleInbound(event: InboundEvent): Promise<InboundResult> {
    const bindings = await this.#resolveBindings();
    return handleInboundEvent(
      {
        store: this.#store,
        events: this.#events,
        logger: this.#logger,
        kindOf: (channel) => bindings.find((binding) => binding.id === channel)?.kind ?? channelKindSchema.safeParse(channel).data,
        customerByAddress: async (channel, address) =>
          this.#addresses.get(`${channel}:${address}`) ?? (await this.#options.resolveCustomerByAddress?.(channel, address)),
      },
      event,
    );
  }

  // ── the loop ─────────────────────────────────────────────────────────────────────────────────

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let wait = this.settings.pollIntervalMs;
      try {
        if ((await this.#pass()) > 0) continue;
        const now = this.#clock();
        const wake = await this.#nextWake(now, true);
        if (wake !== undefined) wait = Math.min(wait, Math.max(1, wake - now));
      } catch (error) {
        this.#logger.error(`Dispatcher ${this.workerId}: a dispatch pass failed; trying again in ${wait} ms.`, error);
      }
      await this.#pause(wait);
    }
  }

  #pause(ms: number): Promise<void> {
    if (this.#options.sleep !== undefined) return this.#options.sleep(ms);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new ChannelsError('KQ_DISPATCHER_CLOSED', `Dispatcher ${this.workerId} is closed; create a new one to go on.`);
  }

  /** One pass over every channel; returns how many messages it claimed. */
  async #pass(): Promise<number> {
    let claimed = 0;
    for (const binding of await this.#resolveBindings()) claimed += await this.#passChannel(binding);
    return claimed;
  }

  async #passChannel(binding: Binding): Promise<number> {
    const now = this.#clock();
    const admits = binding.breaker.admits(now);
    if (admits === 'none') return this.#deadLetterLongOutage(binding, now);
    let limit = this.settings.batchSize;
    if (binding.bucket !== undefined) limit = Math.min(limit, binding.bucket.available(now));
    if (admits === 'probe') limit = Math.min(limit, 1);
    if (limit < 1) return 0;
    const claimed = await this.#store.outbox.claim({ workerId: this.workerId, now: iso(now), limit, leaseMs: this.settings.leaseMs, channels: [binding.kind] });
    if (claimed.length === 0) return 0;
    binding.bucket?.take(now, claimed.length);
    if (admits === 'probe') binding.breaker.startProbe();
    try {
      await this.#processAll(binding, claimed);
    } finally {
      binding.breaker.endProbe();
    }
    return claimed.length;
  }

  /** The whole batch at once: the delivery's send slots keep `concurrency` sends out, in claim order. */
  async #processAll(binding: Binding, messages: readonly OutboxMessage[]): Promise<void> {
    const customers = await this.#delivery.customersOf(messages);
    await Promise.all(messages.map(async (message) => this.#count(await this.#delivery.deliver(binding, message, customers.get(message.customerId)))));
  }

  /** When something may next be sendable: a due message whose channel is neither paused nor throttled. */
  async #nextWake(now: number, includeLeases: boolean): Promise<number | undefined> {
    let wake: number | undefined;
    for (const binding of await this.#resolveBindings()) {
      const due = await this.#store.outbox.nextDueAt({ channels: [binding.kind], includeLeases });
      if (due === undefined) continue;
      let at = Date.parse(due);
      if (binding.breaker.state(now) === 'open') {
        const giveUp = this.#giveUpAt(binding);
        at = Math.max(at, giveUp === undefined ? binding.breaker.readyAt() : Math.min(binding.breaker.readyAt(), giveUp));
      }
      if (binding.bucket !== undefined) at = Math.max(at, binding.bucket.readyAt(now));
      wake = wake === undefined ? at : Math.min(wake, at);
    }
    return wake;
  }

  #giveUpAt(binding: Binding): number | undefined {
    const since = binding.breaker.outageSince();
    const after = this.settings.breaker.deadLetterAfterOpenMs;
    return since === undefined || after === undefined ? undefined : since + after;
  }

  /** The breaker policy's last word: a channel down for too long has its messages dead-lettered. */
  async #deadLetterLongOutage(binding: Binding, now: number): Promise<number> {
    const giveUp = this.#giveUpAt(binding);
    if (giveUp === undefined || now < giveUp) return 0;
    const claimed = await this.#store.outbox.claim({ workerId: this.workerId, now: iso(now), limit: this.settings.batchSize, leaseMs: this.settings.leaseMs, channels: [binding.kind] });
    const since = iso(binding.breaker.outageSince() ?? now);
    for (const message of claimed) this.#count(await this.#delivery.deadLetter(binding, message, `channel_unavailable: ${binding.id} has failed since ${since}`));
    return claimed.length;
  }

  #count(outcome: DeliveryOutcome): void {
    const key = totalsKey[outcome];
    if (key !== undefined) this.#totals[key] += 1;
  }

  #remember(channel: ChannelKind, address: string, customerId: string): void {
    const key = `${channel}:${address}`;
    this.#addresses.delete(key);
    this.#addresses.set(key, customerId);
    if (this.#addresses.size > ADDRESS_MEMORY) {
      const oldest = this.#addresses.keys().next();
      if (oldest.done !== true) this.#addresses.delete(oldest.value);
    }
  }

  // ── channels ─────────────────────────────────────────────────────────────────────────────────

  #resolveBindings(): Promise<Binding[]> {
    this.#bindings ??= this.#loadBindings();
    return this.#bindings;
  }

  async #loadBindings(): Promise<Binding[]> {
    const found = await resolveChannels(this.#options.channels, {
      logger: this.#logger,
      ...(this.#options.preferredChannels === undefined ? {} : { preferredChannels: this.#options.preferredChannels }),
    });
    const now = this.#clock();
    const bindings = found.map(({ id, kind, adapter, secure }): Binding => {
      const rates = [adapter.capabilities.ratePerSecond, this.settings.rateLimits[kind]].filter((rate): rate is number => rate !== undefined && rate > 0);
      return {
        id,
        kind,
        adapter,
        secure,
        bucket: rates.length === 0 ? undefined : new TokenBucket(Math.min(...rates), now),
        breaker: new CircuitBreaker({ failureThreshold: this.settings.breaker.failureThreshold, coolDownMs: this.settings.breaker.coolDownMs }),
      };
    });
    for (const binding of bindings) {
      const subscription = binding.adapter.onInbound?.((event) => {
        this.handleInbound(event).catch((error: unknown) => this.#logger.error(`An inbound ${event.type} from ${binding.id} could not be recorded.`, error));
      });
      if (subscription !== undefined) this.#subscriptions.push(subscription);
    }
    return bindings;
  }
}

/** Creates a dispatcher; nothing runs until `runUntilIdle()` or `start()`. */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  return new Dispatcher(options);
}
