// The storage port: what the SDK asks of a database, one repository per aggregate. The memory store
// (tests), @kequn/store-sqlite (the embedded default) and @kequn/store-postgres implement it, and the
// contract suite in @kequn/store-contract holds all three to the same behaviour.
import type { Branch, Customer, CustomerEvent, Manager, Product } from '../model/customer.js';
import type {
  AuditEntry,
  ContactRecord,
  MembershipChange,
  OutboxMessage,
  RecordedAuditEntry,
  TierChange,
} from './records.js';

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

export interface CustomerRepository extends EntityRepository<Customer> {
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

export interface OutboxRepository {
  /** Queues messages as `pending`; a message id already queued is left as it was. */
  enqueue(messages: readonly OutboxMessage[]): Promise<void>;
  /** Pending messages, oldest first. */
  pending(limit?: number): Promise<OutboxMessage[]>;
  get(id: string): Promise<OutboxMessage | undefined>;
  markSent(id: string, sentAt: string): Promise<void>;
  /** Counts the attempt and records why it failed; the message stays `failed` until retried. */
  markFailed(id: string, error: string): Promise<void>;
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
