// A BullMQ dispatch worker: a feeder claims due outbox messages into one Redis queue per channel,
// and BullMQ workers — in this process and in every other one started the same way, on any
// machine — drain the queues. Each message goes through @kequn/channels' `OutboxDelivery`, the
// same step the in-process dispatcher runs, and is settled in the SQL store under the queue's
// claim fence. Rate limits are BullMQ's limiter, shared by all workers of a queue; a circuit breaker
// that opens pauses the queue for every worker for the cool-down.
import {
  CircuitBreaker,
  OutboxDelivery,
  resolveChannels,
  type ChannelBindings,
  type DeliveryChannel,
  type DeliveryOutcome,
  type DispatchSummary,
  type DispatcherEventMap,
  type TemplateRegistry,
} from '@kequn/channels';
import type { ContactPolicy } from '@kequn/contact-policy';
import {
  EventBus,
  Kernel,
  consoleLogSink,
  createLogger,
  minimumLevel,
  type ChannelKind,
  type Disposable,
  type Customer,
  type KequnStore,
  type Logger,
  type OutboxMessage,
} from '@kequn/core';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { DispatchBullmqError } from './errors.js';
import { SEND_JOB, claimFence, jobIdFor, queueNameFor, type OutboxJob } from './jobs.js';
import { bullmqWorkerSettingsSchema, redisUrlFrom, type BullmqWorkerSettings, type BullmqWorkerSettingsInput } from './settings.js';

export interface BullmqWorkerOptions extends BullmqWorkerSettingsInput {
  /** The store every worker shares: PostgreSQL across machines, a SQLite file on one machine. */
  store: KequnStore;
  /** A kernel (its `channels` contributions, one per kind) or adapters by channel kind. */
  channels: Kernel | ChannelBindings;
  preferredChannels?: Partial<Record<ChannelKind, string>>;
  /** The final consent and do-not-contact check. Default: `createContactPolicy()`. */
  policy?: ContactPolicy;
  templates?: TemplateRegistry;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** [0, 1), for jitter. Default `Math.random`. */
  random?: () => number;
  logger?: Logger;
}

/** What this worker process did, by outcome; `released` messages were handed back while a channel was paused. */
export interface BullmqWorkerTotals extends DispatchSummary {
  released: number;
  /** Jobs skipped because their claim was no longer current (settled already, or claimed again). */
  stale: number;
}

export interface BullmqDispatchWorker {
  readonly workerId: string;
  readonly settings: BullmqWorkerSettings;
  /** The BullMQ queue names, one per channel kind. */
  readonly queueNames: readonly string[];
  on<K extends keyof DispatcherEventMap & string>(name: K, listener: (event: DispatcherEventMap[K]) => unknown): Disposable;
  totals(): BullmqWorkerTotals;
  /** Claims due messages into the queues once; returns how many it queued. The feeder does this on its own. */
  feedOnce(): Promise<number>;
  /** Jobs waiting or running across this worker's queues. */
  queued(): Promise<number>;
  /** Stops feeding, lets the jobs in hand finish, and disconnects. Messages still queued stay for the other workers. */
  close(): Promise<void>;
  /** Removes this worker's queues and their jobs from Redis (tests; taking a deployment down). Call before `close`. */
  obliterate(): Promise<void>;
}

interface QueueChannel extends DeliveryChannel {
  queue: Queue<OutboxJob>;
  worker: Worker<OutboxJob> | undefined;
  /** Messages per second, when the adapter or the settings limit it. */
  rate: number | undefined;
  /** Messages at most in the queue. */
  maxQueued: number;
  /** Messages per job: the setting, or fewer when the rate is lower. */
  messagesPerJob: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** How long the feeder waits when a queue is full, before it looks again. */
const FULL_QUEUE_WAIT_MS = 20;

function randomWorkerId(): string {
  return `bullmq-worker-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Starts a dispatch worker: its BullMQ workers begin taking jobs at once, and (unless
 * `feeder: false`) its feeder begins queuing due messages. Run as many as the channels need.
 */
export async function startBullmqWorker(options: BullmqWorkerOptions): Promise<BullmqDispatchWorker> {
  const parsed = bullmqWorkerSettingsSchema.safeParse(options);
  if (!parsed.success) {
    throw new DispatchBullmqError('KQ_BULLMQ_SETTINGS_INVALID', `The BullMQ worker settings are invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}.`);
  }
  const runtime = new BullmqDispatchRuntime(options, parsed.data);
  await runtime.start();
  return runtime;
}

class BullmqDispatchRuntime implements BullmqDispatchWorker {
  readonly workerId: string;
  readonly settings: BullmqWorkerSettings;
  readonly #options: BullmqWorkerOptions;
  readonly #store: KequnStore;
  readonly #clock: () => number;
  readonly #logger: Logger;
  readonly #events = new EventBus<DispatcherEventMap>();
  readonly #fence: string;
  readonly #delivery: OutboxDelivery;
  readonly #totals: BullmqWorkerTotals = { sent: 0, rejected: 0, retried: 0, deadLettered: 0, released: 0, stale: 0 };
  #connection: Redis | undefined;
  #channels: QueueChannel[] = [];
  #feeding: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #closed = false;

  constructor(options: BullmqWorkerOptions, settings: BullmqWorkerSettings) {
    this.#options = options;
    this.settings = settings;
    this.workerId = settings.workerId ?? randomWorkerId();
    this.#store = options.store;
    this.#clock = options.clock ?? Date.now;
    this.#logger =
      options.logger ?? (options.channels instanceof Kernel ? options.channels.logger : createLogger(minimumLevel(consoleLogSink, 'info'), 'dispatch-bullmq'));
    this.#fence = claimFence(settings.queueName);
    this.#delivery = new OutboxDelivery({
      store: options.store,
      workerId: this.#fence,
      retry: settings.retry,
      utcOffsetMinutes: settings.utcOffsetMinutes,
      logger: this.#logger,
      events: this.#events,
      ...(options.policy === undefined ? {} : { policy: options.policy }),
      ...(options.templates === undefined ? {} : { templates: options.templates }),
      clock: this.#clock,
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    this.#events.on('channel.breakerOpened', ({ channel }) => this.#pauseQueue(channel));
  }

  get queueNames(): readonly string[] {
    return this.#channels.map((channel) => channel.queue.name);
  }

  async start(): Promise<void> {
    const resolved = await resolveChannels(this.#options.channels, {
      logger: this.#logger,
      ...(this.#options.preferredChannels === undefined ? {} : { preferredChannels: this.#options.preferredChannels }),
    });
    // BullMQ blocks on its connections; `maxRetriesPerRequest: null` is what it requires of them.
    const connection = new Redis(redisUrlFrom(this.settings), { maxRetriesPerRequest: null });
    this.#connection = connection;
    this.#channels = resolved.map(({ id, kind, adapter, secure }) => {
      const rates = [adapter.capabilities.ratePerSecond, this.settings.rateLimits[kind]].filter((rate): rate is number => rate !== undefined && rate > 0);
      const rate = rates.length === 0 ? undefined : Math.min(...rates);
      // A queued message must be sent before its lease ends, or the feeder claims it again.
      const sendableInHalfALease = rate === undefined ? Number.POSITIVE_INFINITY : Math.floor((rate * this.settings.leaseMs) / 2_000);
      // BullMQ's limiter counts jobs: a job holds no more messages than a second of the rate allows.
      const messagesPerJob = rate === undefined ? this.settings.messagesPerJob : Math.max(1, Math.min(this.settings.messagesPerJob, Math.floor(rate)));
      return {
        id,
        kind,
        adapter,
        secure,
        breaker: new CircuitBreaker({ failureThreshold: this.settings.breaker.failureThreshold, coolDownMs: this.settings.breaker.coolDownMs }),
        queue: new Queue<OutboxJob>(queueNameFor(this.settings.queueName, kind), { connection }),
        worker: undefined,
        rate,
        maxQueued: Math.max(1, Math.min(this.settings.maxQueued, sendableInHalfALease)),
        messagesPerJob,
      };
    });
    for (const channel of this.#channels) {
      // `concurrency` sends in flight per process: a couple of jobs at once (so that one job's last
      // sends overlap the next job's first), each sending its messages a share of that at a time.
      const jobsAtOnce = Math.max(2, Math.ceil(this.settings.concurrency / channel.messagesPerJob));
      const sendsPerJob = Math.max(1, Math.ceil(this.settings.concurrency / jobsAtOnce));
      channel.worker = new Worker<OutboxJob>(channel.queue.name, (job) => this.#process(channel, job, sendsPerJob), {
        connection,
        concurrency: jobsAtOnce,
        lockDuration: this.settings.lockDurationMs,
        // A worker that died is noticed within a lock duration; its jobs go to another worker.
        stalledInterval: Math.max(1_000, Math.floor(this.settings.lockDurationMs / 2)),
        maxStalledCount: 3,
        ...(channel.rate === undefined ? {} : { limiter: { max: Math.max(1, Math.floor(channel.rate / channel.messagesPerJob)), duration: 1_000 } }),
      });
      channel.worker.on('error', (error) => this.#logger.error(`Worker ${this.workerId}: BullMQ queue ${channel.queue.name} reported an error.`, error));
    }
    await Promise.all(this.#channels.map((channel) => channel.worker?.waitUntilReady()));
    if (this.settings.feeder) this.#feeding = this.#feedLoop();
  }

  on<K extends keyof DispatcherEventMap & string>(name: K, listener: (event: DispatcherEventMap[K]) => unknown): Disposable {
    return this.#events.on(name, listener);
  }

  totals(): BullmqWorkerTotals {
    return { ...this.#totals };
  }

  async queued(): Promise<number> {
    const counts = await Promise.all(this.#channels.map(async (channel) => (await channel.queue.count()) + (await channel.queue.getActiveCount())));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async feedOnce(): Promise<number> {
    this.#assertOpen();
    let queued = 0;
    for (const channel of this.#channels) queued += (await this.#feedChannel(channel)).queued;
    return queued;
  }

  async obliterate(): Promise<void> {
    await Promise.all(this.#channels.map((channel) => channel.queue.obliterate({ force: true })));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#stopping = true;
    this.#wake?.();
    await this.#feeding;
    await Promise.all(this.#channels.map((channel) => channel.worker?.close()));
    await Promise.all(this.#channels.map((channel) => channel.queue.close()));
    await this.#connection?.quit().catch(() => this.#connection?.disconnect());
    this.#events.dispose();
    this.#closed = true;
  }

  #assertOpen(): void {
    if (this.#closed) throw new DispatchBullmqError('KQ_BULLMQ_WORKER_CLOSED', `BullMQ worker ${this.workerId} is closed; start a new one to go on.`);
  }

  // ── the feeder ───────────────────────────────────────────────────────────────────────────────

  async #feedLoop(): Promise<void> {
    while (!this.#stopping) {
      let wait = this.settings.pollIntervalMs;
      try {
        let queued = 0;
        let full = false;
        for (const channel of this.#channels) {
          const fed = await this.#feedChannel(channel);
          queued += fed.queued;
          full ||= fed.full;
        }
        if (queued > 0) continue;
        if (full) wait = FULL_QUEUE_WAIT_MS;
        else {
          const now = this.#clock();
          const due = await this.#store.outbox.nextDueAt({ channels: this.#channels.map((channel) => channel.kind) });
          if (due !== undefined) wait = Math.min(wait, Math.max(1, Date.parse(due) - now));
        }
      } catch (error) {
        this.#logger.error(`Worker ${this.workerId}: feeding the queues failed; trying again in ${wait} ms.`, error);
      }
      await this.#pause(wait);
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Claims what the channel's queue has room for and queues it, `messagesPerJob` messages to a job. */
  async #feedChannel(channel: QueueChannel): Promise<{ queued: number; full: boolean }> {
    const now = this.#clock();
    // A paused channel's messages would only be handed back; they wait in the outbox instead.
    if (channel.breaker.state(now) === 'open') return { queued: 0, full: false };
    // Counted as full jobs: a little more than is queued, never less.
    const room = channel.maxQueued - (await channel.queue.count()) * channel.messagesPerJob;
    if (room <= 0) return { queued: 0, full: true };
    const limit = Math.min(room, this.settings.batchSize);
    const claimed = await this.#store.outbox.claim({ workerId: this.#fence, now: iso(now), limit, leaseMs: this.settings.leaseMs, channels: [channel.kind] });
    if (claimed.length === 0) return { queued: 0, full: false };
    const jobs = [];
    for (let start = 0; start < claimed.length; start += channel.messagesPerJob) {
      const messages = claimed.slice(start, start + channel.messagesPerJob);
      const first = messages[0] as OutboxMessage;
      jobs.push({
        name: SEND_JOB,
        data: { messages: messages.map((message) => ({ messageId: message.id, attempt: message.attempts })) },
        opts: { jobId: jobIdFor(first.id, first.attempts), removeOnComplete: true, removeOnFail: true },
      });
    }
    await channel.queue.addBulk(jobs);
    return { queued: claimed.length, full: claimed.length === room };
  }

  // ── the workers ──────────────────────────────────────────────────────────────────────────────

  /** A job's messages that are still current, `sendsPerJob` at a time, with their rows and customers read once. */
  async #process(channel: QueueChannel, job: Job<OutboxJob>, sendsPerJob: number): Promise<void> {
    const wanted = job.data.messages;
    const rows = new Map((await this.#store.outbox.getMany(wanted.map(({ messageId }) => messageId))).map((message) => [message.id, message]));
    const current = wanted.flatMap(({ messageId, attempt }) => {
      const message = rows.get(messageId);
      return this.#isCurrent(message, attempt) ? [message] : [];
    });
    // Settled already (a job that ran again after its worker stalled), or claimed again since: not ours.
    this.#totals.stale += wanted.length - current.length;
    if (current.length === 0) return;
    const customers = await this.#delivery.customersOf(current);
    let next = 0;
    const sender = async (): Promise<void> => {
      for (let message = current[next++]; message !== undefined; message = current[next++]) {
        this.#count(await this.#deliverOne(channel, message, customers.get(message.customerId)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(sendsPerJob, current.length) }, sender));
  }

  async #deliverOne(channel: QueueChannel, message: OutboxMessage, customer: Customer | undefined): Promise<DeliveryOutcome> {
    const now = this.#clock();
    const admits = channel.breaker.admits(now);
    if (admits === 'none') return this.#handBack(channel, message, now);
    if (admits === 'probe') channel.breaker.startProbe();
    try {
      return await this.#delivery.deliver(channel, message, customer);
    } finally {
      if (admits === 'probe') channel.breaker.endProbe();
    }
  }

  #isCurrent(message: OutboxMessage | undefined, attempt: number): message is OutboxMessage {
    return message !== undefined && message.status === 'sending' && message.claimedBy === this.#fence && message.attempts === attempt;
  }

  /** The channel is paused here: hand the message back until the probe, or give it up after a long outage. */
  async #handBack(channel: QueueChannel, message: OutboxMessage, now: number): Promise<DeliveryOutcome> {
    const since = channel.breaker.outageSince();
    const after = this.settings.breaker.deadLetterAfterOpenMs;
    if (since !== undefined && after !== undefined && now >= since + after) {
      return this.#delivery.deadLetter(channel, message, `channel_unavailable: ${channel.id} has failed since ${iso(since)}`);
    }
    // While a probe is out the circuit is past its cool-down; look again a poll interval later.
    const at = Math.max(channel.breaker.readyAt(), now + this.settings.pollIntervalMs);
    await this.#store.outbox.release(message.id, iso(at), { workerId: this.#fence });
    return 'released';
  }

  #count(outcome: DeliveryOutcome): void {
    this.#totals[outcome] += 1;
  }

  /** Every worker of the queue stops taking jobs for the cool-down: one breaker speaks for all. */
  #pauseQueue(kind: ChannelKind): void {
    const channel = this.#channels.find((candidate) => candidate.kind === kind);
    if (channel === undefined) return;
    channel.queue
      .rateLimit(this.settings.breaker.coolDownMs)
      .catch((error: unknown) => this.#logger.error(`Worker ${this.workerId}: could not pause queue ${channel.queue.name}.`, error));
  }
}
