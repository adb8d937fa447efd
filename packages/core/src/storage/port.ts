// The storage port: what the SDK asks of a database, one repository per aggregate. The memory store
// (tests), @kequn/store-sqlite (the embedded default) and @kequn/store-postgres implement it, and the
// contract suite in @kequn/store-contract holds all three to the same behaviour.
import type { Branch, ChannelKind, Customer, CustomerEvent, Manager, Product } from '../model/customer.js';
import type { StoredCustomerRow } from './customer-document.js';
import type {
  AuditEntry,
  ContactRecord,
  MembershipChange,
  OutboxMessage,
  OutboxMessageInput,
  OutboxStatus,
  RecordedAuditEntry,
  TierChange,
} from './records.js';
import type { OutboxOutcome } from './outbox-lifecycle.js';

/** Keyset paging: records come in id order, starting after `afterId`. */
export interface PageOptions {
  afterId?: string;
  /** At most this many records; stores cap it at 10,000. */
  limit?: number;
}

/** Customers, managers, branches and products: documents keyed by id, written by upsert. */
export interface EntityRepository<T extends { id: string }> {
  /** Inserts new records and replaces existing ones with the same id. Re-running is harmless. */
  upsert(records: readonly T[]): Promise<void>;
  get(id: string): Promise<T | undefined>;
  /** The records with these ids that exist, in no particular order. */
  getMany(ids: readonly string[]): Promise<T[]>;
  list(options?: PageOptions): Promise<T[]>;
  count(): Promise<number>;
  delete(id: string): Promise<boolean>;
}

export interface CustomerUpsertOptions {
  /**
   * A customer already stored keeps its holdings (imported from their own file); the record's
   * holdings count only for customers not stored yet.
   */
  keepStoredHoldings?: boolean;
}

export interface CustomerRepository extends EntityRepository<Customer> {
  upsert(records: readonly Customer[], options?: CustomerUpsertOptions): Promise<void>;
  /**
   * Upserts rows made by `storedCustomerRow`: a bulk importer encodes customers on worker threads
   * so that the thread holding the store only writes.
   */
  upsertStored(rows: readonly StoredCustomerRow[], options?: CustomerUpsertOptions): Promise<void>;
  /** The book of one relationship manager (管户), in id order. */
  listByManager(managerId: string, options?: PageOptions): Promise<Customer[]>;
}

export interface CustomerEventRepository {
  /** Stores events by id; an event already stored is replaced, so re-importing is harmless. */
  upsert(events: readonly CustomerEvent[]): Promise<void>;
  /** The customer's events, oldest first; `from`/`to` are inclusive ISO instants. */
  listByCustomer(customerId: string, range?: { from?: string; to?: string }): Promise<CustomerEvent[]>;
  count(): Promise<number>;
}

/** Append-only: a membership is never edited, a later change supersedes it from its effective date. */
export interface MembershipHistoryRepository {
  append(changes: readonly MembershipChange[]): Promise<void>;
  /** Customers in the segment on that day (changes effective on or before it), in id order. */
  membersOn(segmentId: string, date: string): Promise<string[]>;
  /** The customer's changes across all segments, in the order they took effect. */
  historyOf(customerId: string): Promise<MembershipChange[]>;
}

/** Append-only, like memberships: the tier of a day is the latest change effective by then. */
export interface TierChangeRepository {
  append(changes: readonly TierChange[]): Promise<void>;
  /** The customer's tier on that day, or undefined if never tiered by then. */
  tierOn(customerId: string, date: string): Promise<string | undefined>;
  /** Every customer in the tier on that day, in id order: "who was high_end on 2026-06-30". */
  customersInTierOn(tier: string, date: string): Promise<string[]>;
  historyOf(customerId: string): Promise<TierChange[]>;
}

export interface ContactRecordRepository {
  /** Records contacts by id; a contact already recorded is left as it was. */
  append(records: readonly ContactRecord[]): Promise<void>;
  /** The customer's contacts, oldest first. */
  listByCustomer(customerId: string): Promise<ContactRecord[]>;
}

/** What `claim` hands one dispatch worker. */
export interface OutboxClaim {
  /** Names the worker in `claimedBy`; only it may settle the messages while its lease lasts. */
  workerId: string;
  /** The claim instant (ISO): messages due by then, and leases ended by then, are claimable. */
  now: string;
  /** At most this many messages (capped like pages). */
  limit: number;
  /** How long the worker holds them; a worker that dies releases them when the lease ends. */
  leaseMs: number;
  /** Only messages for these channels (e.g. those whose circuit is closed). All when absent. */
  channels?: readonly ChannelKind[];
}

/**
 * Settling a claimed message: given the worker id, the change happens only while that worker still
 * holds the message, so a worker whose lease ran out cannot overwrite the next worker's outcome.
 */
export interface OutboxSettleOptions {
  workerId?: string;
}

/** A message as `claim` handed it to a worker, and what became of it. */
export interface OutboxSettlement {
  message: OutboxMessage;
  outcome: OutboxOutcome;
}

export type OutboxStatusCounts = Record<OutboxStatus, number>;

/**
 * The outbox and its dispatch life cycle (see `outboxStatusSchema`). Every transition returns
 * whether it happened: a message in another state (already settled, claimed by another worker,
 * not dead) is left alone and the answer is false.
 */
export interface OutboxRepository {
  /**
   * Queues messages as `pending`, due at `nextAttemptAt` if given, else at once. The id is the
   * idempotency key: a message id already queued is left as it was, whatever its state.
   */
  enqueue(messages: readonly OutboxMessageInput[]): Promise<void>;
  /** Pending messages (due or not), oldest first. */
  pending(limit?: number): Promise<OutboxMessage[]>;
  get(id: string): Promise<OutboxMessage | undefined>;
  /** The messages with these ids that exist, in no particular order. */
  getMany(ids: readonly string[]): Promise<OutboxMessage[]>;
  /**
   * Atomically hands due messages to one worker: pending messages whose `nextAttemptAt` has come,
   * and `sending` messages whose lease has ended. Each becomes `sending`, claimed by the worker, and
   * counts an attempt. No message is ever handed to two workers by claims that overlap in time.
   * The earliest due are chosen; they are returned oldest first.
   */
  claim(claim: OutboxClaim): Promise<OutboxMessage[]>;
  /**
   * The earliest instant a pending message is due or (unless `includeLeases` is false) a lease
   * ends; undefined when nothing is waiting.
   */
  nextDueAt(options?: { channels?: readonly ChannelKind[]; includeLeases?: boolean }): Promise<string | undefined>;
  /** Delivered to the channel. From `pending` (sent without a claim) this counts the attempt. */
  markSent(id: string, sentAt: string, options?: OutboxSettleOptions & { providerMessageId?: string }): Promise<boolean>;
  /** Permanently refused (bad address, consent withdrawn, content refused): never retried. */
  markRejected(id: string, reason: string, at: string, options?: OutboxSettleOptions): Promise<boolean>;
  /** A retryable failure: `pending` again, due at `at`, with the error kept in `lastError`. */
  scheduleRetry(id: string, at: string, error: string, options?: OutboxSettleOptions): Promise<boolean>;
  /** Dead-lettered (attempts exhausted, channel given up on): waits for a person to replay it. */
  markDead(id: string, reason: string, at: string, options?: OutboxSettleOptions): Promise<boolean>;
  /**
   * Hands a claimed message back unsent, due at `at`, and gives back the attempt its claim counted:
   * for a worker that stops, or a channel paused by its circuit breaker before the message went out.
   */
  release(id: string, at: string, options?: OutboxSettleOptions): Promise<boolean>;
  /**
   * Settles messages a worker claimed, many at once: each changes only while the worker still
   * holds the very claim `claim` returned it with (same attempt), exactly as the single transitions
   * given `workerId` would — but from the claimed message, without reading each row again, and in
   * one statement per few hundred messages where the database takes them. Returns, in order,
   * whether each changed. Inside `transaction` they are one commit.
   */
  settleClaimed(settlements: readonly OutboxSettlement[], workerId: string): Promise<boolean[]>;
  /** Dead letters in id order, for a person to inspect. */
  deadLetters(page?: PageOptions): Promise<OutboxMessage[]>;
  /** A dead letter back to `pending`, due at `now`, attempts reset. The caller writes the audit entry. */
  replay(id: string, now: string): Promise<boolean>;
  /** How many messages are in each state (every state present, zero included). */
  countByStatus(): Promise<OutboxStatusCounts>;
}

/** Append-only; entries are numbered in write order. */
export interface AuditLogRepository {
  append(entries: readonly AuditEntry[]): Promise<void>;
  /** Entries after `afterSequence`, in write order, optionally of one actor or subject. */
  list(options?: { afterSequence?: number; limit?: number; actor?: string; subject?: string }): Promise<RecordedAuditEntry[]>;
}

/** The JSON values behind core's `StateStorage`; see `StoredStateStorage`. */
export interface PluginStateRepository {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every entry whose key starts with the prefix, in key order. */
  entries(prefix: string): Promise<Array<[string, unknown]>>;
}

/** Everything a transaction can touch. */
export interface StoreRepositories {
  readonly customers: CustomerRepository;
  readonly managers: EntityRepository<Manager>;
  readonly branches: EntityRepository<Branch>;
  readonly products: EntityRepository<Product>;
  readonly events: CustomerEventRepository;
  readonly memberships: MembershipHistoryRepository;
  readonly tierChanges: TierChangeRepository;
  readonly contactRecords: ContactRecordRepository;
  readonly outbox: OutboxRepository;
  readonly auditLog: AuditLogRepository;
  readonly pluginState: PluginStateRepository;
}

export type StoreKind = 'memory' | 'sqlite' | 'postgres';

export interface KequnStore extends StoreRepositories {
  readonly kind: StoreKind;
  /**
   * Runs `work` all-or-nothing: if it throws (or the process dies) nothing it wrote is kept.
   * Inside, use the `tx` repositories. The memory and SQLite stores run transactions one after
   * another; PostgreSQL gives each its own connection.
   */
  transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** The highest migration applied to this database. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/** Stores cap page sizes so that one call cannot pull a whole bank into memory. */
export const MAX_PAGE_SIZE = 10_000;

export function pageLimit(options: PageOptions | undefined): number {
  const limit = options?.limit ?? 1_000;
  return Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(limit)));
}

/** Streams every record of a repository in id order, one page at a time. */
export async function* scanAll<T extends { id: string }>(
  repository: Pick<EntityRepository<T>, 'list'>,
  pageSize = 1_000,
): AsyncGenerator<T, void, undefined> {
  let afterId: string | undefined;
  for (;;) {
    const page = await repository.list(afterId === undefined ? { limit: pageSize } : { afterId, limit: pageSize });
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) return;
    afterId = last.id;
  }
}
