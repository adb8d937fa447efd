// One claimed outbox message, from claim to outcome: check consent and do-not-contact once more,
// render the template for the customer, send with the message id as idempotency key, and settle
// the row under the claim's fence. The in-process dispatcher and the BullMQ workers both use it,
// so a message goes through exactly the same steps whichever backend drains the outbox.
import { createContactPolicy, timeBoundReasonCodes, type ContactPolicy } from '@kequn/contact-policy';
import {
  EventBus,
  describeError,
  type BatchSendItem,
  type ChannelAdapter,
  type ChannelKind,
  type ChannelRecipient,
  type ContactRecord,
  type Customer,
  type KequnStore,
  type Logger,
  type MessageKind,
  type OutboundMessage,
  type OutboxMessage,
  type SendResult,
} from '@kequn/core';
import { describeIssues } from './errors.js';
import type { DispatcherEventMap } from './events.js';
import { outboxPayloadSchema, type MessageLocale, type OutboxPayload } from './payload.js';
import { resolveRecipient } from './recipient.js';
import { backoffDelay, type BreakerTransition, type CircuitBreaker, type RetryPolicy } from './resilience.js';
import { createTemplateRegistry, missingVariables, renderTemplate, templateVariables, type MessageTemplate, type TemplateRegistry } from './templates.js';
import { messageVariables } from './variables.js';

/** A channel as a sender uses it: its adapter, whether it is secure, and its circuit breaker. */
export interface DeliveryChannel {
  /** The contribution id, named in events and logs. */
  id: string;
  kind: ChannelKind;
  adapter: ChannelAdapter;
  /** False: personal values in messages are masked. */
  secure: boolean;
  breaker: CircuitBreaker;
}

/** How one message ended this time round. `released`: handed back unsent because the channel is paused. */
export type DeliveryOutcome = 'sent' | 'rejected' | 'retried' | 'deadLettered' | 'released';

export interface OutboxDeliveryOptions {
  store: KequnStore;
  /** The fence: the `workerId` the messages were claimed under. Settling happens only while it holds them. */
  workerId: string;
  retry: RetryPolicy;
  /** The bank's offset from UTC in minutes, for "today" (the customer's current tier). */
  utcOffsetMinutes: number;
  logger: Logger;
  /** Where events go; a bus of its own when absent. */
  events?: EventBus<DispatcherEventMap>;
  /** The final consent and do-not-contact check. Default: `createContactPolicy()`. */
  policy?: ContactPolicy;
  /** Default: the built-in templates. */
  templates?: TemplateRegistry;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** [0, 1), for jitter. Default `Math.random`. */
  random?: () => number;
  /** Called after a send was accepted, so that replies naming only an address find the customer. */
  onDelivered?(channel: ChannelKind, address: string, customerId: string): void;
  /**
   * Accepted sends are settled together: their contact records and `sent` marks are written in one
   * store transaction for up to this many messages (those whose answers arrived together), instead
   * of two commits each. 1 settles each message on its own. Default 100.
   */
  settleBatch?: number;
  /**
   * Sends in flight at once, for a caller that hands over many messages at a time (the in-process
   * dispatcher, a claimed batch). A delivery holds a slot while it is prepared and sent, not while
   * its outcome waits to be written, and accepted sends are then written `settleBatch` at a time, or
   * as soon as no send is out or waiting. Absent: no limit, and answers that arrive in the same turn
   * of the event loop are written together (a queue worker, one message per job).
   */
  sendConcurrency?: number;
}

/** Messages waiting to go out together through a channel's `sendBatch`. */
interface PendingBatch {
  items: BatchSendItem[];
  answers: Array<(result: SendResult) => void>;
}

/** A batching channel that does not say how many it takes gets batches of this size at most. */
const DEFAULT_BATCH_SIZE = 100;

/** Sends in flight at once: first come, first served. */
class SendSlots {
  readonly #size: number;
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
    this.#free = size;
  }

  /** No send out and none waiting. */
  get idle(): boolean {
    return this.#free === this.#size && this.#waiting.length === 0;
  }

  acquire(): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free -= 1;
      return undefined;
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#free += 1;
    else next();
  }
}

/** An accepted send waiting to be written with the others of its batch. */
interface SentSettlement {
  /** As claimed: the settlement is written only while that claim holds. */
  message: OutboxMessage;
  at: string;
  record: ContactRecord | undefined;
  providerMessageId: string | undefined;
  done: { resolve(marked: boolean): void; reject(error: unknown): void };
}

type Prepared =
  | { ok: true; message: OutboundMessage; recipient: ChannelRecipient; payload: OutboxPayload }
  | { ok: false; reason: string; detail?: Record<string, unknown> };

function defaultKind(channel: ChannelKind): MessageKind {
  if (channel === 'phone' || channel === 'branch') return 'task';
  return channel === 'email' ? 'rich' : 'text';
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Sends claimed messages and settles them. `deliver(channel, message)` is the whole step for one
 * message; it never throws — a store or data error schedules a retry without counting against the
 * channel, and a retry that cannot be written is left to the lease.
 */
export class OutboxDelivery {
  readonly workerId: string;
  readonly events: EventBus<DispatcherEventMap>;
  readonly #options: OutboxDeliveryOptions;
  readonly #store: KequnStore;
  readonly #policy: ContactPolicy;
  readonly #templates: TemplateRegistry;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #settleBatch: number;
  readonly #slots: SendSlots | undefined;
  #settlements: SentSettlement[] = [];
  #flushScheduled = false;
  readonly #batches = new Map<DeliveryChannel, PendingBatch>();

  constructor(options: OutboxDeliveryOptions) {
    this.#options = options;
    this.workerId = options.workerId;
    this.events = options.events ?? new EventBus<DispatcherEventMap>();
    this.#store = options.store;
    this.#policy = options.policy ?? createContactPolicy();
    this.#templates = options.templates ?? createTemplateRegistry();
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
    this.#settleBatch = Math.max(1, Math.floor(options.settleBatch ?? 100));
    this.#slots = options.sendConcurrency === undefined ? undefined : new SendSlots(Math.max(1, Math.floor(options.sendConcurrency)));
  }

  /**
   * `customer`: the message's customer when the caller has just read it (the dispatcher reads a
   * claimed batch's customers in one query); read from the store otherwise.
   */
  async deliver(channel: DeliveryChannel, message: OutboxMessage, customer?: Customer): Promise<DeliveryOutcome> {
    try {
      if (message.attempts > this.#options.retry.maxAttempts) {
        // Claimed more often than allowed without an outcome: a worker died holding it each time.
        return await this.deadLetter(channel, message, `max_attempts: ${message.attempts - 1} claims ended without an outcome`);
      }
      const { prepared, result } = await this.#inTurn(() => this.#prepareAndSend(channel, message, customer));
      if (!prepared.ok) return await this.#reject(channel, message, prepared.reason, prepared.detail);
      if (result === undefined) {
        // The channel was paused while this message waited its turn: hand it back untouched.
        await this.#store.outbox.release(message.id, iso(channel.breaker.readyAt()), { workerId: this.workerId });
        return 'released';
      }
      return await this.#settle(channel, message, prepared, result);
    } catch (error) {
      // The store or the data failed, not the channel: retry later without counting against it.
      this.#logger.error(`Worker ${this.workerId}: message ${message.id} on ${channel.id} could not be processed; it will be retried.`, error);
      try {
        return await this.#retry(channel, message, describeError(error), undefined);
      } catch (retryError) {
        this.#logger.error(`Worker ${this.workerId}: message ${message.id} could not be rescheduled; its lease will return it.`, retryError);
        return 'retried';
      }
    }
  }

  /**
   * The customers of many messages in one query, for `deliver` to take instead of reading one each;
   * empty (each message then reads its own) if the query fails.
   */
  async customersOf(messages: readonly OutboxMessage[]): Promise<Map<string, Customer>> {
    try {
      const found = await this.#store.customers.getMany([...new Set(messages.map((message) => message.customerId))]);
      return new Map(found.map((customer) => [customer.id, customer]));
    } catch (error) {
      this.#logger.warn(`Worker ${this.workerId}: the customers of ${messages.length} messages could not be read at once (${describeError(error)}); reading them one by one.`);
      return new Map();
    }
  }

  /** Dead-letters a claimed message (the breaker policy giving up on a channel, too many claims). */
  async deadLetter(channel: DeliveryChannel, message: OutboxMessage, reason: string): Promise<'deadLettered'> {
    const at = iso(this.#clock());
    await this.#store.outbox.markDead(message.id, reason, at, { workerId: this.workerId });
    this.#logger.warn(`Message ${message.id} on ${channel.id} was dead-lettered (${reason}); replay it once the cause is fixed.`, { messageId: message.id, channel: channel.kind });
    this.events.emit('message.deadLettered', { ...this.#about(channel, message, at), attempts: message.attempts, reason });
    return 'deadLettered';
  }

  /**
   * Runs a message's preparing and sending in one of the send slots, so that messages are prepared
   * as slots come free — interleaved with the sends of others — rather than all before the first send.
   */
  async #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const slots = this.#slots;
    if (slots === undefined) return work();
    await slots.acquire();
    try {
      return await work();
    } finally {
      slots.release();
      // The last send out: nothing more is coming soon, so what is queued is written now.
      if (slots.idle && this.#settlements.length > 0) this.#scheduleFlush();
    }
  }

  /**
   * Prepares the message and, if it can go, sends it — unless the channel was paused while it
   * waited its turn (no result). The breaker hears of the answer before the next send is let out
   * (see #judge), so that a probe stays one send.
   */
  async #prepareAndSend(channel: DeliveryChannel, message: OutboxMessage, customer: Customer | undefined): Promise<{ prepared: Prepared; result?: SendResult }> {
    const prepared = await this.#prepare(channel, message, customer);
    if (!prepared.ok || channel.breaker.state(this.#clock()) === 'open') return { prepared };
    return { prepared, result: await this.#transmit(channel, prepared, message.id) };
  }

  /**
   * The circuit breaker hears of one request's answer: a failure when every message of it failed
   * (one request, one failure, however many messages it carried), a success otherwise.
   */
  #judge(channel: DeliveryChannel, results: readonly SendResult[]): void {
    const now = this.#clock();
    const [first] = results;
    if (first?.status === 'failed' && results.every((result) => result.status === 'failed')) {
      this.#breakerChanged(channel, channel.breaker.recordFailure(now), first.reason, now);
    } else this.#breakerChanged(channel, channel.breaker.recordSuccess(), '', now);
  }

  /**
   * Through the channel's `sendBatch` when it has one: the messages whose turn comes in the same
   * turn of the event loop go in one request, up to the channel's `maxBatchSize` (a lone message
   * waits that one turn). One request each otherwise.
   */
  async #transmit(channel: DeliveryChannel, prepared: Extract<Prepared, { ok: true }>, idempotencyKey: string): Promise<SendResult> {
    const sendBatch = channel.adapter.sendBatch?.bind(channel.adapter);
    if (sendBatch === undefined) {
      const result = await this.#send(channel, prepared, idempotencyKey);
      this.#judge(channel, [result]);
      return result;
    }
    const item: BatchSendItem = { message: prepared.message, recipient: prepared.recipient, idempotencyKey };
    return new Promise((resolve) => {
      let pending = this.#batches.get(channel);
      if (pending === undefined) {
        const opened: PendingBatch = { items: [], answers: [] };
        this.#batches.set(channel, opened);
        setImmediate(() => this.#sendBatch(channel, opened, sendBatch));
        pending = opened;
      }
      pending.items.push(item);
      pending.answers.push(resolve);
      if (pending.items.length >= Math.max(1, channel.adapter.capabilities.maxBatchSize ?? DEFAULT_BATCH_SIZE)) this.#sendBatch(channel, pending, sendBatch);
    });
  }

  /** Sends a pending batch once (when it fills up or at the end of the turn, whichever comes first). */
  #sendBatch(channel: DeliveryChannel, pending: PendingBatch, sendBatch: NonNullable<ChannelAdapter['sendBatch']>): void {
    if (this.#batches.get(channel) !== pending) return;
    this.#batches.delete(channel);
    const { items, answers } = pending;
    const failAll = (reason: string): SendResult[] => items.map(() => ({ status: 'failed', reason }));
    // A synchronous throw is caught as well: `then` below sees it as a rejection.
    void Promise.resolve()
      .then(() => sendBatch(items))
      // An adapter that throws, or answers for the wrong number of messages, has failed in a way it
      // did not classify: every message of the batch is retried (the peer drops repeats by key).
      .then(
        (results) => (results.length === items.length ? results : failAll(`${channel.id} answered ${results.length} results for a batch of ${items.length}`)),
        (error: unknown) => failAll(describeError(error)),
      )
      .then((results) => {
        this.#judge(channel, results);
        results.forEach((result, index) => answers[index]?.(result));
      });
  }

  async #send(channel: DeliveryChannel, prepared: Extract<Prepared, { ok: true }>, idempotencyKey: string): Promise<SendResult> {
    try {
      return await channel.adapter.send(prepared.message, prepared.recipient, { idempotencyKey });
    } catch (error) {
      // An adapter that throws has failed in a way it did not classify: treat it as retryable.
      return { status: 'failed', reason: describeError(error) };
    }
  }

  async #prepare(channel: DeliveryChannel, message: OutboxMessage, known: Customer | undefined): Promise<Prepared> {
    const payload = outboxPayloadSchema.safeParse(message.payload);
    if (!payload.success) return { ok: false, reason: 'invalid_payload', detail: { issues: describeIssues(payload.error.issues) } };
    const customer = known?.id === message.customerId ? known : await this.#store.customers.get(message.customerId);
    if (customer === undefined) return { ok: false, reason: 'customer_not_found' };

    const now = this.#clock();
    // Time rules were applied when the message was queued; what can have changed since is consent
    // and do-not-contact, and those refusals are final.
    const decision = this.#policy.decide({ customer, channel: message.channel, purpose: message.purpose, at: iso(now), history: [] });
    if (!decision.allowed) {
      const final = decision.reasons.filter((reason) => !timeBoundReasonCodes.includes(reason.code));
      const first = final[0];
      if (first !== undefined) return { ok: false, reason: first.code, detail: { reasons: final.map((reason) => reason.code) } };
    }

    const template = this.#template(payload.data.template);
    if (template === undefined) return { ok: false, reason: 'unknown_template', detail: { templateId: String(payload.data.template) } };
    const kind = payload.data.kind ?? template.kind ?? defaultKind(message.channel);
    if (!channel.adapter.capabilities.kinds.includes(kind)) return { ok: false, reason: 'unsupported_kind', detail: { kind, adapter: channel.id } };

    const address = resolveRecipient(customer, message.channel, kind);
    if (!address.ok) return { ok: false, reason: 'no_address' };

    const locale: MessageLocale = customer.profile.preferredLocale ?? 'zh-CN';
    const variables = await messageVariables({
      customer,
      payload: payload.data,
      needed: templateVariables(template),
      locale,
      secure: channel.secure,
      today: iso(now + this.#options.utcOffsetMinutes * 60_000).slice(0, 10),
      store: this.#store,
    });
    const missing = missingVariables(template, locale, variables);
    if (missing.length > 0) return { ok: false, reason: `missing_variable: ${missing.join(', ')}`, detail: { templateId: template.id, locale, missing } };
    const rendered = renderTemplate(template, locale, variables);
    const maxLength = channel.adapter.capabilities.maxLength;
    const length = Array.from(rendered.text).length;
    if (maxLength !== undefined && length > maxLength) return { ok: false, reason: 'too_long', detail: { templateId: template.id, length, maxLength } };

    const data = {
      ...payload.data.data,
      ...(rendered.html === undefined ? {} : { html: rendered.html }),
      ...(payload.data.campaignId === undefined ? {} : { campaignId: payload.data.campaignId }),
    };
    return {
      ok: true,
      payload: payload.data,
      recipient: address.recipient,
      message: { kind, templateId: template.id, locale, text: rendered.text, ...(rendered.subject === undefined ? {} : { subject: rendered.subject }), data },
    };
  }

  #template(template: OutboxPayload['template']): MessageTemplate | undefined {
    return typeof template === 'string' ? this.#templates.get(template) : template;
  }

  async #settle(channel: DeliveryChannel, message: OutboxMessage, prepared: Extract<Prepared, { ok: true }>, result: SendResult): Promise<DeliveryOutcome> {
    if (result.status === 'failed') return this.#retry(channel, message, result.reason, result.retryAfterMs);
    if (result.status === 'rejected') return this.#reject(channel, message, result.reason);
    return this.#accepted(channel, message, prepared, result.providerMessageId, this.#clock());
  }

  async #accepted(channel: DeliveryChannel, message: OutboxMessage, prepared: Extract<Prepared, { ok: true }>, providerMessageId: string | undefined, now: number): Promise<'sent'> {
    const at = iso(now);
    const { recipient, payload } = prepared;
    // A task is a contact only once the manager records its outcome (see handleInbound).
    const record: ContactRecord | undefined =
      prepared.message.kind === 'task'
        ? undefined
        : {
            id: `outbox:${message.id}`,
            customerId: message.customerId,
            ...(recipient.managerId === undefined ? {} : { managerId: recipient.managerId }),
            channel: message.channel,
            purpose: message.purpose,
            outcome: 'reached',
            occurredAt: at,
            ...(payload.campaignId === undefined ? {} : { campaignId: payload.campaignId }),
          };
    this.#options.onDelivered?.(message.channel, recipient.address, message.customerId);
    const marked = await this.#settleSent(message, at, record, providerMessageId);
    if (!marked) {
      this.#logger.warn(`Message ${message.id} went out on ${channel.id}, but the claim of ${this.workerId} had ended; the channel drops a second send by its idempotency key.`);
    }
    this.events.emit('message.sent', {
      ...this.#about(channel, message, at),
      attempts: message.attempts,
      ...(providerMessageId === undefined ? {} : { providerMessageId }),
    });
    return 'sent';
  }

  /** Queues an accepted send for the next batch write; resolves once it is written. */
  #settleSent(message: OutboxMessage, at: string, record: ContactRecord | undefined, providerMessageId: string | undefined): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#settlements.push({ message, at, record, providerMessageId, done: { resolve, reject } });
      if (this.#settlements.length >= this.#settleBatch) void this.#flushSettlements();
      // Answers that arrive in the same turn of the event loop are written together; with send
      // slots, so are all that arrive while other sends are out (the last one out flushes them).
      else if (this.#slots === undefined || this.#slots.idle) this.#scheduleFlush();
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      void this.#flushSettlements();
    });
  }

  async #flushSettlements(): Promise<void> {
    const batch = this.#settlements;
    if (batch.length === 0) return;
    this.#settlements = [];
    try {
      const marks = await this.#store.transaction(async (tx) => {
        const records = batch.flatMap((settlement) => (settlement.record === undefined ? [] : [settlement.record]));
        if (records.length > 0) await tx.contactRecords.append(records);
        const settlements = batch.map(({ message, at, providerMessageId }) => ({
          message,
          outcome: { type: 'sent' as const, at, ...(providerMessageId === undefined ? {} : { providerMessageId }) },
        }));
        return tx.outbox.settleClaimed(settlements, this.workerId);
      });
      batch.forEach((settlement, index) => settlement.done.resolve(marks[index] ?? false));
    } catch (error) {
      for (const settlement of batch) settlement.done.reject(error);
    }
  }

  async #reject(channel: DeliveryChannel, message: OutboxMessage, reason: string, detail?: Record<string, unknown>): Promise<'rejected'> {
    const at = iso(this.#clock());
    await this.#store.outbox.markRejected(message.id, reason, at, { workerId: this.workerId });
    this.events.emit('message.rejected', { ...this.#about(channel, message, at), reason, ...(detail === undefined ? {} : { detail }) });
    return 'rejected';
  }

  async #retry(channel: DeliveryChannel, message: OutboxMessage, error: string, retryAfterMs: number | undefined): Promise<'retried' | 'deadLettered'> {
    const now = this.#clock();
    if (message.attempts >= this.#options.retry.maxAttempts) return this.deadLetter(channel, message, `max_attempts: ${error}`);
    const delay = Math.max(backoffDelay(message.attempts, this.#options.retry, this.#random), retryAfterMs ?? 0);
    const nextAttemptAt = iso(now + delay);
    await this.#store.outbox.scheduleRetry(message.id, nextAttemptAt, error, { workerId: this.workerId });
    this.events.emit('message.retryScheduled', { ...this.#about(channel, message, iso(now)), attempts: message.attempts, error, nextAttemptAt });
    return 'retried';
  }

  #breakerChanged(channel: DeliveryChannel, transition: BreakerTransition, lastError: string, now: number): void {
    if (transition === undefined) return;
    const at = iso(now);
    if (transition.to === 'closed') {
      this.#logger.info(`Channel ${channel.id} (${channel.kind}) is sending again: its circuit breaker closed.`, { channel: channel.kind });
      this.events.emit('channel.breakerClosed', { channel: channel.kind, adapterId: channel.id, at });
      return;
    }
    const probeAt = iso(channel.breaker.readyAt());
    this.#logger.warn(
      `Channel ${channel.id} (${channel.kind}) is paused: ${transition.reopened ? 'its probe failed' : `${transition.failures} sends failed in a row`} (last: ${lastError}). One message will probe it at ${probeAt}.`,
      { channel: channel.kind, failures: transition.failures },
    );
    this.events.emit('channel.breakerOpened', { channel: channel.kind, adapterId: channel.id, failures: transition.failures, lastError, probeAt, at });
  }

  #about(channel: DeliveryChannel, message: OutboxMessage, at: string) {
    return { messageId: message.id, customerId: message.customerId, channel: message.channel, adapterId: channel.id, at };
  }
}
