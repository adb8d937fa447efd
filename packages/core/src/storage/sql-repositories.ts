// The repositories of the storage port written once in SQL that SQLite and PostgreSQL both speak
// (numbered `$1` parameters, ON CONFLICT, window functions). A store supplies an executor for its
// driver and its own migrations; records travel as JSON documents beside the columns queries need.
import type { Branch, Customer, CustomerEvent, Manager, Product } from '../model/customer.js';
import {
  pageLimit,
  type KequnStore,
  type AuditLogRepository,
  type ContactRecordRepository,
  type CustomerEventRepository,
  type CustomerRepository,
  type EntityRepository,
  type MembershipHistoryRepository,
  type OutboxRepository,
  type PageOptions,
  type PluginStateRepository,
  type StoreRepositories,
  type TierChangeRepository,
} from './port.js';
import type { AuditEntry, ContactRecord, MembershipChange, OutboxMessage, TierChange } from './records.js';

export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/** How bulk writes treat a row whose key exists: replace it, keep the old one, or always add. */
export type BulkMode = 'upsert' | 'ignore' | 'append';

export interface BulkWrite {
  table: string;
  columns: readonly string[];
  /** The unique key for `upsert` and `ignore`; empty for `append`. */
  key: readonly string[];
  mode: BulkMode;
  rows: readonly (readonly SqlValue[])[];
}

/** What a SQL store provides: queries with `$1…` parameters and its fastest bulk write. */
export interface SqlExecutor {
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  bulkWrite(write: BulkWrite): Promise<void>;
}

/** SQLite hands back JSON text, PostgreSQL's jsonb arrives parsed. */
function decode<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function documents<T>(rows: readonly SqlRow[]): T[] {
  return rows.map((row) => decode<T>(row['document']));
}

function firstNumber(rows: readonly SqlRow[], column: string): number {
  return Number(rows[0]?.[column] ?? 0);
}

/** Epoch milliseconds, so instants with different offsets sort correctly. */
function instant(iso: string): number {
  return Date.parse(iso);
}

function placeholders(count: number, offset = 0): string {
  return Array.from({ length: count }, (_, index) => `$${index + offset + 1}`).join(', ');
}

interface EntityTable<T> {
  table: string;
  /** Columns besides `id` and `document`, with how to read each from a record. */
  columns: ReadonlyArray<readonly [string, (record: T) => SqlValue]>;
}

function entityRepository<T extends { id: string }>(sql: SqlExecutor, spec: EntityTable<T>): EntityRepository<T> {
  const columns = ['id', ...spec.columns.map(([name]) => name), 'document'];
  return {
    async upsert(records) {
      if (records.length === 0) return;
      const rows = records.map((record) => [record.id, ...spec.columns.map(([, read]) => read(record)), JSON.stringify(record)]);
      await sql.bulkWrite({ table: spec.table, columns, key: ['id'], mode: 'upsert', rows });
    },
    async get(id) {
      return documents<T>(await sql.query(`SELECT document FROM ${spec.table} WHERE id = $1`, [id]))[0];
    },
    async getMany(ids) {
      const found: T[] = [];
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        const rows = await sql.query(`SELECT document FROM ${spec.table} WHERE id IN (${placeholders(chunk.length)})`, chunk);
        found.push(...documents<T>(rows));
      }
      return found;
    },
    async list(options) {
      return documents<T>(await listPage(sql, spec.table, '', [], options));
    },
    async count() {
      return firstNumber(await sql.query(`SELECT COUNT(*) AS n FROM ${spec.table}`), 'n');
    },
    async delete(id) {
      return (await sql.execute(`DELETE FROM ${spec.table} WHERE id = $1`, [id])) > 0;
    },
  };
}

async function listPage(sql: SqlExecutor, table: string, where: string, params: SqlValue[], options: PageOptions | undefined): Promise<SqlRow[]> {
  const conditions = where === '' ? [] : [where];
  const values = [...params];
  if (options?.afterId !== undefined) {
    values.push(options.afterId);
    conditions.push(`id > $${values.length}`);
  }
  values.push(pageLimit(options));
  const filter = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  return sql.query(`SELECT document FROM ${table} ${filter} ORDER BY id LIMIT $${values.length}`, values);
}

function customerRepository(sql: SqlExecutor): CustomerRepository {
  const base = entityRepository<Customer>(sql, {
    table: 'customers',
    columns: [
      ['branch_id', (customer) => customer.branchId],
      ['manager_id', (customer) => customer.relationshipManagerId],
    ],
  });
  return {
    ...base,
    async listByManager(managerId, options) {
      return documents<Customer>(await listPage(sql, 'customers', 'manager_id = $1', [managerId], options));
    },
  };
}

function eventRepository(sql: SqlExecutor): CustomerEventRepository {
  return {
    async upsert(events) {
      if (events.length === 0) return;
      const rows = events.map((event) => [event.id, event.customerId, instant(event.occurredAt), event.type, JSON.stringify(event)]);
      await sql.bulkWrite({ table: 'customer_events', columns: ['id', 'customer_id', 'occurred_ms', 'type', 'document'], key: ['id'], mode: 'upsert', rows });
    },
    async listByCustomer(customerId, range) {
      const from = range?.from === undefined ? Number.MIN_SAFE_INTEGER : instant(range.from);
      const to = range?.to === undefined ? Number.MAX_SAFE_INTEGER : instant(range.to);
      const rows = await sql.query(
        'SELECT document FROM customer_events WHERE customer_id = $1 AND occurred_ms >= $2 AND occurred_ms <= $3 ORDER BY occurred_ms, id',
        [customerId, from, to],
      );
      return documents<CustomerEvent>(rows);
    },
    async count() {
      return firstNumber(await sql.query('SELECT COUNT(*) AS n FROM customer_events'), 'n');
    },
  };
}

/**
 * Customers whose latest change effective on or before a day matches: each customer's changes are
 * ranked by effective date, then by write order (`seq`), and only the newest counts.
 */
function latestChangeSql(table: string, column: string, filter: string, outcomeParameter: string): string {
  return `SELECT customer_id FROM (
    SELECT customer_id, ${column} AS outcome,
      ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY effective_from DESC, seq DESC) AS newest
    FROM ${table} WHERE ${filter}
  ) AS ranked WHERE newest = 1 AND outcome = ${outcomeParameter} ORDER BY customer_id`;
}

function membershipRepository(sql: SqlExecutor): MembershipHistoryRepository {
  return {
    async append(changes) {
      if (changes.length === 0) return;
      const rows = changes.map((change) => [change.segmentId, change.customerId, change.change, change.effectiveFrom, JSON.stringify(change)]);
      await sql.bulkWrite({ table: 'membership_changes', columns: ['segment_id', 'customer_id', 'change', 'effective_from', 'document'], key: [], mode: 'append', rows });
    },
    async membersOn(segmentId, date) {
      const rows = await sql.query(latestChangeSql('membership_changes', 'change', 'segment_id = $1 AND effective_from <= $2', '$3'), [segmentId, date, 'joined']);
      return rows.map((row) => String(row['customer_id']));
    },
    async historyOf(customerId) {
      return documents<MembershipChange>(
        await sql.query('SELECT document FROM membership_changes WHERE customer_id = $1 ORDER BY effective_from, seq', [customerId]),
      );
    },
  };
}

function tierRepository(sql: SqlExecutor): TierChangeRepository {
  return {
    async append(changes) {
      if (changes.length === 0) return;
      const rows = changes.map((change) => [change.customerId, change.tier, change.effectiveFrom, JSON.stringify(change)]);
      await sql.bulkWrite({ table: 'tier_changes', columns: ['customer_id', 'tier', 'effective_from', 'document'], key: [], mode: 'append', rows });
    },
    async tierOn(customerId, date) {
      const rows = await sql.query(
        'SELECT tier FROM tier_changes WHERE customer_id = $1 AND effective_from <= $2 ORDER BY effective_from DESC, seq DESC LIMIT 1',
        [customerId, date],
      );
      const tier = rows[0]?.['tier'];
      return tier === undefined ? undefined : String(tier);
    },
    async customersInTierOn(tier, date) {
      const rows = await sql.query(latestChangeSql('tier_changes', 'tier', 'effective_from <= $1', '$2'), [date, tier]);
      return rows.map((row) => String(row['customer_id']));
    },
    async historyOf(customerId) {
      return documents<TierChange>(await sql.query('SELECT document FROM tier_changes WHERE customer_id = $1 ORDER BY effective_from, seq', [customerId]));
    },
  };
}

function contactRecordRepository(sql: SqlExecutor): ContactRecordRepository {
  return {
    async append(records) {
      if (records.length === 0) return;
      const rows = records.map((record) => [record.id, record.customerId, instant(record.occurredAt), JSON.stringify(record)]);
      await sql.bulkWrite({ table: 'contact_records', columns: ['id', 'customer_id', 'occurred_ms', 'document'], key: ['id'], mode: 'ignore', rows });
    },
    async listByCustomer(customerId) {
      return documents<ContactRecord>(await sql.query('SELECT document FROM contact_records WHERE customer_id = $1 ORDER BY occurred_ms, id', [customerId]));
    },
  };
}

function outboxRepository(sql: SqlExecutor): OutboxRepository {
  const get = async (id: string): Promise<OutboxMessage | undefined> =>
    documents<OutboxMessage>(await sql.query('SELECT document FROM outbox WHERE id = $1', [id]))[0];
  const replace = async (message: OutboxMessage): Promise<void> => {
    await sql.execute('UPDATE outbox SET status = $2, document = $3 WHERE id = $1', [message.id, message.status, JSON.stringify(message)]);
  };
  return {
    async enqueue(messages) {
      if (messages.length === 0) return;
      const rows = messages.map((message) => {
        const queued: OutboxMessage = { ...message, status: 'pending', attempts: 0 };
        return [queued.id, queued.customerId, 'pending', instant(queued.createdAt), JSON.stringify(queued)];
      });
      await sql.bulkWrite({ table: 'outbox', columns: ['id', 'customer_id', 'status', 'created_ms', 'document'], key: ['id'], mode: 'ignore', rows });
    },
    async pending(limit) {
      const rows = await sql.query("SELECT document FROM outbox WHERE status = 'pending' ORDER BY created_ms, id LIMIT $1", [pageLimit({ limit })]);
      return documents<OutboxMessage>(rows);
    },
    get,
    async markSent(id, sentAt) {
      const message = await get(id);
      if (message !== undefined) await replace({ ...message, status: 'sent', attempts: message.attempts + 1, sentAt });
    },
    async markFailed(id, error) {
      const message = await get(id);
      if (message !== undefined) await replace({ ...message, status: 'failed', attempts: message.attempts + 1, lastError: error });
    },
  };
}

function auditLogRepository(sql: SqlExecutor): AuditLogRepository {
  return {
    async append(entries) {
      if (entries.length === 0) return;
      const rows = entries.map((entry: AuditEntry) => [entry.actor, entry.subject, JSON.stringify(entry)]);
      await sql.bulkWrite({ table: 'audit_log', columns: ['actor', 'subject', 'document'], key: [], mode: 'append', rows });
    },
    async list(options) {
      const values: SqlValue[] = [options?.afterSequence ?? 0];
      const conditions = ['sequence > $1'];
      if (options?.actor !== undefined) {
        values.push(options.actor);
        conditions.push(`actor = $${values.length}`);
      }
      if (options?.subject !== undefined) {
        values.push(options.subject);
        conditions.push(`subject = $${values.length}`);
      }
      values.push(pageLimit({ limit: options?.limit }));
      const rows = await sql.query(
        `SELECT sequence, document FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY sequence LIMIT $${values.length}`,
        values,
      );
      return rows.map((row) => ({ ...decode<AuditEntry>(row['document']), sequence: Number(row['sequence']) }));
    },
  };
}

function pluginStateRepository(sql: SqlExecutor): PluginStateRepository {
  return {
    async get(key) {
      const rows = await sql.query('SELECT value FROM plugin_state WHERE key = $1', [key]);
      const row = rows[0];
      return row === undefined ? undefined : decode(row['value']);
    },
    async set(key, value) {
      if (value === undefined) {
        await sql.execute('DELETE FROM plugin_state WHERE key = $1', [key]);
        return;
      }
      await sql.bulkWrite({ table: 'plugin_state', columns: ['key', 'value'], key: ['key'], mode: 'upsert', rows: [[key, JSON.stringify(value)]] });
    },
    async delete(key) {
      await sql.execute('DELETE FROM plugin_state WHERE key = $1', [key]);
    },
    async entries(prefix) {
      // Compared as a range, not LIKE, so that `%` and `_` in keys mean themselves.
      const rows = await sql.query('SELECT key, value FROM plugin_state WHERE key >= $1 ORDER BY key', [prefix]);
      return rows
        .map((row): [string, unknown] => [String(row['key']), decode(row['value'])])
        .filter(([key]) => key.startsWith(prefix));
    },
  };
}

/** Every repository of the port over one executor (a connection, or a transaction's connection). */
export function createSqlRepositories(sql: SqlExecutor): StoreRepositories {
  return {
    customers: customerRepository(sql),
    managers: entityRepository<Manager>(sql, { table: 'managers', columns: [['branch_id', (manager) => manager.branchId]] }),
    branches: entityRepository<Branch>(sql, { table: 'branches', columns: [] }),
    products: entityRepository<Product>(sql, { table: 'products', columns: [] }),
    events: eventRepository(sql),
    memberships: membershipRepository(sql),
    tierChanges: tierRepository(sql),
    contactRecords: contactRecordRepository(sql),
    outbox: outboxRepository(sql),
    auditLog: auditLogRepository(sql),
    pluginState: pluginStateRepository(sql),
  };
}

/** Bulk writes as plain multi-row INSERT statements, for executors without a faster path. */
export function insertStatement(write: Omit<BulkWrite, 'rows'>, rowCount: number): string {
  const width = write.columns.length;
  const values = Array.from({ length: rowCount }, (_, row) => `(${placeholders(width, row * width)})`).join(', ');
  const insert = `INSERT INTO ${write.table} (${write.columns.join(', ')}) VALUES ${values}`;
  if (write.mode === 'append') return insert;
  const target = `ON CONFLICT (${write.key.join(', ')})`;
  if (write.mode === 'ignore') return `${insert} ${target} DO NOTHING`;
  const updates = write.columns.filter((column) => !write.key.includes(column)).map((column) => `${column} = excluded.${column}`);
  return `${insert} ${target} DO UPDATE SET ${updates.join(', ')}`;
}

/** Inside a SQL store's transaction: the port's repositories and the same connection for own tables. */
export interface SqlStoreRepositories extends StoreRepositories {
  readonly sql: SqlExecutor;
}

/**
 * A store on a SQL database. Packages that keep their own tables (with their own migrations) reach
 * them through `sql`, and through `tx.sql` to write them in the same transaction as the port's.
 */
export interface SqlStore extends KequnStore {
  readonly sql: SqlExecutor;
  transaction<T>(work: (tx: SqlStoreRepositories) => Promise<T>): Promise<T>;
}
