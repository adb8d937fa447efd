// The in-memory store: the storage port over plain maps, for unit tests and demos that need no file.
// Records are copied in and out, so callers can no more change stored values than with a database.
import type { Branch, Customer, CustomerEvent, Manager, Product } from '../model/customer.js';
import { StoreClosedError } from './errors.js';
import { decodeCustomerDocument, storedDocumentText } from './customer-document.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import {
  claimedMessage,
  dueMs,
  isClaimable,
  queuedMessage,
  replayedMessage,
  settledMessage,
  type OutboxOutcome,
} from './outbox-lifecycle.js';
import {
  pageLimit,
  type AuditLogRepository,
  type ContactRecordRepository,
  type CustomerEventRepository,
  type CustomerRepository,
  type CustomerUpsertOptions,
  type EntityRepository,
  type KequnStore,
  type MembershipHistoryRepository,
  type OutboxRepository,
  type OutboxSettleOptions,
  type OutboxStatusCounts,
  type PageOptions,
  type PluginStateRepository,
  type StoreRepositories,
  type TierChangeRepository,
} from './port.js';
import type {
  ContactRecord,
  MembershipChange,
  OutboxMessage,
  RecordedAuditEntry,
  TierChange,
} from './records.js';

interface MemoryTables {
  customers: Map<string, Customer>;
  managers: Map<string, Manager>;
  branches: Map<string, Branch>;
  products: Map<string, Product>;
  events: Map<string, CustomerEvent>;
  memberships: MembershipChange[];
  tierChanges: TierChange[];
  contactRecords: Map<string, ContactRecord>;
  outbox: Map<string, OutboxMessage>;
  auditLog: RecordedAuditEntry[];
  pluginState: Map<string, unknown>;
}

function emptyTables(): MemoryTables {
  return {
    customers: new Map(),
    managers: new Map(),
    branches: new Map(),
    products: new Map(),
    events: new Map(),
    memberships: [],
    tierChanges: [],
    contactRecords: new Map(),
    outbox: new Map(),
    auditLog: [],
    pluginState: new Map(),
  };
}

const copy = <T>(value: T): T => structuredClone(value);

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function page<T extends { id: string }>(records: Iterable<T>, options: PageOptions | undefined): T[] {
  const afterId = options?.afterId;
  const sorted = [...records].filter((record) => afterId === undefined || record.id > afterId).sort(byId);
  return sorted.slice(0, pageLimit(options)).map(copy);
}

function entityRepository<T extends { id: string }>(table: () => Map<string, T>): EntityRepository<T> {
  return {
    async upsert(records) {
      for (const record of records) table().set(record.id, copy(record));
    },
    async get(id) {
      const record = table().get(id);
      return record === undefined ? undefined : copy(record);
    },
    async getMany(ids) {
      return ids.flatMap((id) => {
        const record = table().get(id);
        return record === undefined ? [] : [copy(record)];
      });
    },
    async list(options) {
      return page(table().values(), options);
    },
    async count() {
      return table().size;
    },
    async delete(id) {
      return table().delete(id);
    },
  };
}

/** The latest change per customer effective on or before `date`; later appends win ties. */
function latestByCustomer<T extends { customerId: string; effectiveFrom: string }>(changes: readonly T[], date: string): Map<string, T> {
  const latest = new Map<string, T>();
  for (const change of changes) {
    if (change.effectiveFrom > date) continue;
    const current = latest.get(change.customerId);
    if (current === undefined || change.effectiveFrom >= current.effectiveFrom) latest.set(change.customerId, change);
  }
  return latest;
}

/** Stable sort by effective date: appends on the same day keep their order. */
function inEffectiveOrder<T extends { effectiveFrom: string }>(changes: T[]): T[] {
  return changes.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
}

function repositoriesOver(tables: () => MemoryTables): StoreRepositories {
  const customerEntities = entityRepository(() => tables().customers);
  const upsertCustomers = async (records: readonly Customer[], options: CustomerUpsertOptions | undefined): Promise<void> => {
    const table = tables().customers;
    for (const record of records) {
      const stored = options?.keepStoredHoldings === true ? table.get(record.id) : undefined;
      table.set(record.id, stored === undefined ? copy(record) : { ...copy(record), holdings: stored.holdings });
    }
  };
  const customers: CustomerRepository = {
    ...customerEntities,
    upsert: upsertCustomers,
    async upsertStored(rows, options) {
      await upsertCustomers(rows.map((row) => decodeCustomerDocument(storedDocumentText(row.document))), options);
    },
    async listByManager(managerId, options) {
      const book = [...tables().customers.values()].filter((customer) => customer.relationshipManagerId === managerId);
      return page(book, options);
    },
  };
  const events: CustomerEventRepository = {
    async upsert(records) {
      for (const event of records) tables().events.set(event.id, copy(event));
    },
    async listByCustomer(customerId, range) {
      const from = range?.from === undefined ? -Infinity : Date.parse(range.from);
      const to = range?.to === undefined ? Infinity : Date.parse(range.to);
      return [...tables().events.values()]
        .filter((event) => event.customerId === customerId)
        .filter((event) => Date.parse(event.occurredAt) >= from && Date.parse(event.occurredAt) <= to)
        .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || byId(a, b))
        .map(copy);
    },
    async count() {
      return tables().events.size;
    },
  };
  const memberships: MembershipHistoryRepository = {
    async append(changes) {
      tables().memberships.push(...changes.map(copy));
    },
    async membersOn(segmentId, date) {
      const inSegment = tables().memberships.filter((change) => change.segmentId === segmentId);
      return [...latestByCustomer(inSegment, date).values()]
        .filter((change) => change.change === 'joined')
        .map((change) => change.customerId)
        .sort();
    },
    async historyOf(customerId) {
      return inEffectiveOrder(tables().memberships.filter((change) => change.customerId === customerId).map(copy));
    },
  };
  const tierChanges: TierChangeRepository = {
    async append(changes) {
      tables().tierChanges.push(...changes.map(copy));
    },
    async tierOn(customerId, date) {
      const own = tables().tierChanges.filter((change) => change.customerId === customerId);
      return latestByCustomer(own, date).get(customerId)?.tier;
    },
    async customersInTierOn(tier, date) {
      return [...latestByCustomer(tables().tierChanges, date).values()]
        .filter((change) => change.tier === tier)
        .map((change) => change.customerId)
        .sort();
    },
    async historyOf(customerId) {
      return inEffectiveOrder(tables().tierChanges.filter((change) => change.customerId === customerId).map(copy));
    },
  };
  const contactRecords: ContactRecordRepository = {
    async append(records) {
      for (const record of records) {
        if (!tables().contactRecords.has(record.id)) tables().contactRecords.set(record.id, copy(record));
      }
    },
    async listByCustomer(customerId) {
      return [...tables().contactRecords.values()]
        .filter((record) => record.customerId === customerId)
        .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || byId(a, b))
        .map(copy);
    },
  };
  const settle = (id: string, outcome: OutboxOutcome, options: OutboxSettleOptions | undefined): boolean => {
    const message = tables().outbox.get(id);
    const settled = message === undefined ? undefined : settledMessage(message, outcome, options);
    if (settled === undefined) return false;
    tables().outbox.set(id, settled);
    return true;
  };
  const outbox: OutboxRepository = {
    async enqueue(messages) {
      for (const message of messages) {
        if (!tables().outbox.has(message.id)) tables().outbox.set(message.id, copy(queuedMessage(message)));
      }
    },
    async pending(limit) {
      return [...tables().outbox.values()]
        .filter((message) => message.status === 'pending')
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || byId(a, b))
        .slice(0, pageLimit({ limit }))
        .map(copy);
    },
    async get(id) {
      const message = tables().outbox.get(id);
      return message === undefined ? undefined : copy(message);
    },
    async getMany(ids) {
      return [...new Set(ids)].flatMap((id) => {
        const message = tables().outbox.get(id);
        return message === undefined ? [] : [copy(message)];
      });
    },
    // No await between choosing and marking: within one JavaScript turn nobody else can claim.
    async claim(claim) {
      if (claim.channels?.length === 0) return [];
      const due = [...tables().outbox.values()]
        .filter((message) => isClaimable(message, claim))
        .sort((a, b) => (dueMs(a) ?? 0) - (dueMs(b) ?? 0) || byId(a, b))
        .slice(0, pageLimit({ limit: claim.limit }));
      const claimed = due.map((message) => {
        const taken = claimedMessage(message, claim);
        tables().outbox.set(message.id, taken);
        return copy(taken);
      });
      return claimed.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || byId(a, b));
    },
    async nextDueAt(options) {
      let earliest: number | undefined;
      for (const message of tables().outbox.values()) {
        if (options?.channels !== undefined && !options.channels.includes(message.channel)) continue;
        if (options?.includeLeases === false && message.status === 'sending') continue;
        const due = dueMs(message);
        if (due !== undefined && (earliest === undefined || due < earliest)) earliest = due;
      }
      return earliest === undefined ? undefined : new Date(earliest).toISOString();
    },
    async markSent(id, sentAt, options = {}) {
      const { providerMessageId, ...guard } = options;
      return settle(id, { type: 'sent', at: sentAt, ...(providerMessageId === undefined ? {} : { providerMessageId }) }, guard);
    },
    async markRejected(id, reason, at, options) {
      return settle(id, { type: 'rejected', at, reason }, options);
    },
    async scheduleRetry(id, at, error, options) {
      return settle(id, { type: 'retry', at, error }, options);
    },
    async markDead(id, reason, at, options) {
      return settle(id, { type: 'dead', at, reason }, options);
    },
    async release(id, at, options) {
      return settle(id, { type: 'release', at }, options);
    },
    async settleClaimed(settlements, workerId) {
      return settlements.map(({ message, outcome }) => {
        const current = tables().outbox.get(message.id);
        // The same claim: the worker holds it and no later claim counted another attempt.
        if (current?.status !== 'sending' || current.claimedBy !== workerId || current.attempts !== message.attempts) return false;
        return settle(message.id, outcome, { workerId });
      });
    },
    async deadLetters(options) {
      return page([...tables().outbox.values()].filter((message) => message.status === 'dead'), options);
    },
    async replay(id, now) {
      const message = tables().outbox.get(id);
      const replayed = message === undefined ? undefined : replayedMessage(message, now);
      if (replayed === undefined) return false;
      tables().outbox.set(id, replayed);
      return true;
    },
    async countByStatus() {
      const counts: OutboxStatusCounts = { pending: 0, sending: 0, sent: 0, rejected: 0, dead: 0 };
      for (const message of tables().outbox.values()) counts[message.status] += 1;
      return counts;
    },
  };
  const auditLog: AuditLogRepository = {
    async append(entries) {
      const log = tables().auditLog;
      for (const entry of entries) log.push({ ...copy(entry), sequence: (log.at(-1)?.sequence ?? 0) + 1 });
    },
    async list(options) {
      const after = options?.afterSequence ?? 0;
      return tables()
        .auditLog.filter((entry) => entry.sequence > after)
        .filter((entry) => options?.actor === undefined || entry.actor === options.actor)
        .filter((entry) => options?.subject === undefined || entry.subject === options.subject)
        .slice(0, pageLimit({ limit: options?.limit }))
        .map(copy);
    },
  };
  const pluginState: PluginStateRepository = {
    async get(key) {
      return copy(tables().pluginState.get(key));
    },
    async set(key, value) {
      tables().pluginState.set(key, copy(value));
    },
    async delete(key) {
      tables().pluginState.delete(key);
    },
    async entries(prefix) {
      return [...tables().pluginState.entries()]
        .filter(([key]) => key.startsWith(prefix))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => [key, copy(value)]);
    },
  };
  return {
    customers,
    managers: entityRepository(() => tables().managers),
    branches: entityRepository(() => tables().branches),
    products: entityRepository(() => tables().products),
    events,
    memberships,
    tierChanges,
    contactRecords,
    outbox,
    auditLog,
    pluginState,
  };
}

/**
 * A store that lives in memory. A transaction works on a copy of every table and swaps it in on
 * success, so a failure leaves nothing behind; transactions run one after another.
 */
export function createMemoryStore(): KequnStore {
  let tables = emptyTables();
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  const live = (): MemoryTables => {
    if (closed) throw new StoreClosedError('memory');
    return tables;
  };

  async function runTransaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    const draft = structuredClone(live());
    const result = await work(repositoriesOver(() => draft));
    live();
    tables = draft;
    return result;
  }

  return {
    kind: 'memory',
    ...repositoriesOver(live),
    transaction<T>(work: (tx: StoreRepositories) => Promise<T>): Promise<T> {
      const run = queue.then(() => runTransaction(work));
      queue = run.catch(() => undefined);
      return run;
    },
    async schemaVersion() {
      live();
      return LATEST_SCHEMA_VERSION;
    },
    async close() {
      closed = true;
    },
  };
}
