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
  type CustomerUpsertOptions,
  type EntityRepository,
  type MembershipHistoryRepository,
  type OutboxRepository,
  type OutboxSettleOptions,
  type OutboxStatusCounts,
  type PageOptions,
  type PluginStateRepository,
  type StoreRepositories,
  type TierChangeRepository,
} from './port.js';
import { decodeCustomerDocument, storedCustomerRow, type StoredCustomerRow } from './customer-document.js';
import { outboxStatusSchema, type AuditEntry, type ContactRecord, type MembershipChange, type OutboxMessage, type TierChange } from './records.js';
import {
  dueMs,
  leaseEnd,
  queuedFields,
  queuedMessage,
  replayedMessage,
  settledMessage,
  type OutboxOutcome,
} from './outbox-lifecycle.js';

export type SqlValue = string | number | null;
/** A value of a bulk write: a `SqlValue`, or in a `utf8Columns` column the UTF-8 bytes of its text. */
export type BulkValue = SqlValue | Uint8Array;
export type SqlRow = Record<string, unknown>;

/** How bulk writes treat a row whose key exists: replace it, keep the old one, or always add. */
export type BulkMode = 'upsert' | 'ignore' | 'append';

export interface BulkWrite {
  table: string;
  columns: readonly string[];
  /** The unique key for `upsert` and `ignore`; empty for `append`. */
  key: readonly string[];
  mode: BulkMode;
  rows: readonly (readonly BulkValue[])[];
  /**
   * Text columns whose values may come as the UTF-8 bytes of the text (a Uint8Array) rather than as
   * strings; no other column ever holds bytes. The store writes them as text, never as a blob:
   * `insertStatement` casts their parameters to TEXT, so that SQLite can bind the bytes as they are
   * (no decoding to a string and encoding back on the writing thread); a store whose driver would
   * send bytes as binary (PostgreSQL's bytea) decodes them first and drops this list.
   */
  utf8Columns?: readonly string[];
  /**
   * For `upsert`: SQL expressions that set a column of an existing row in place of the incoming
   * value (`excluded.<column>`), e.g. to keep part of the stored document.
   */
  update?: Readonly<Record<string, string>>;
}

/** What a SQL store provides: queries with `$1…` parameters and its fastest bulk write. */
export interface SqlExecutor {
  /** For the few statements the dialects write differently (row locks); shared SQL otherwise. */
  readonly dialect?: 'sqlite' | 'postgres';
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
  /** A record from its document, for a table that stores its own shape rather than the record's JSON. */
  decode?: (document: unknown) => T;
}

function entityRepository<T extends { id: string }>(sql: SqlExecutor, spec: EntityTable<T>): EntityRepository<T> {
  const columns = ['id', ...spec.columns.map(([name]) => name), 'document'];
  const readDocument = spec.decode ?? ((document: unknown): T => decode<T>(document));
  const readRows = (rows: readonly SqlRow[]): T[] => rows.map((row) => readDocument(row['document']));
  return {
    async upsert(records) {
      if (records.length === 0) return;
      const rows = records.map((record) => [record.id, ...spec.columns.map(([, read]) => read(record)), JSON.stringify(record)]);
      await sql.bulkWrite({ table: spec.table, columns, key: ['id'], mode: 'upsert', rows });
    },
    async get(id) {
      return readRows(await sql.query(`SELECT document FROM ${spec.table} WHERE id = $1`, [id]))[0];
    },
    async getMany(ids) {
      const found: T[] = [];
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        const rows = await sql.query(`SELECT document FROM ${spec.table} WHERE id IN (${placeholders(chunk.length)})`, chunk);
        found.push(...readRows(rows));
      }
      return found;
    },
    async list(options) {
      return readRows(await listPage(sql, spec.table, '', [], options));
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

/**
 * On conflict, the stored holdings go into the incoming document (a customer file without holdings),
 * in the statement itself: no read of the stored customers before the write.
 */
function keptHoldings(dialect: SqlExecutor['dialect']): Record<string, string> {
  if (dialect === 'postgres') {
    return { document: `jsonb_set(excluded.document, '{holdings}', COALESCE(customers.document->'holdings', excluded.document->'holdings'))` };
  }
  return { document: `json_set(excluded.document, '$.holdings', COALESCE(customers.document -> '$.holdings', excluded.document -> '$.holdings'))` };
}

function customerRepository(sql: SqlExecutor): CustomerRepository {
  const base = entityRepository<Customer>(sql, {
    table: 'customers',
    columns: [
      ['branch_id', (customer) => customer.branchId],
      ['manager_id', (customer) => customer.relationshipManagerId],
    ],
    decode: decodeCustomerDocument,
  });
  const writeRows = async (stored: readonly StoredCustomerRow[], options: CustomerUpsertOptions | undefined): Promise<void> => {
    if (stored.length === 0) return;
    const rows = stored.map((row) => [row.id, row.branchId, row.managerId, row.document]);
    const update = options?.keepStoredHoldings === true ? keptHoldings(sql.dialect) : undefined;
    const columns = ['id', 'branch_id', 'manager_id', 'document'];
    // Only a write that carries bytes says so: rows of strings make the same statement as ever.
    const bytes = stored.some((row) => typeof row.document !== 'string');
    await sql.bulkWrite({
      table: 'customers',
      columns,
      key: ['id'],
      mode: 'upsert',
      rows,
      ...(bytes ? { utf8Columns: ['document'] } : {}),
      ...(update === undefined ? {} : { update }),
    });
  };
  return {
    ...base,
    // Customers are written as stored rows (customer-document.ts), not as the JSON of the record.
    async upsert(customers, options) {
      await writeRows(customers.map(storedCustomerRow), options);
    },
    upsertStored: writeRows,
    async listByManager(managerId, options) {
      return (await listPage(sql, 'customers', 'manager_id = $1', [managerId], options)).map((row) => decodeCustomerDocument(row['document']));
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

const OUTBOX_COLUMNS = 'id, document, status, attempts, next_attempt_at, claimed_by, lease_until, state';

/** What the life cycle keeps beside the queued document; the columns hold what queries need. */
type OutboxState = Pick<OutboxMessage, 'sentAt' | 'providerMessageId' | 'lastError' | 'rejectedAt' | 'deadAt' | 'reason' | 'replays' | 'replayedAt'>;

const OUTBOX_STATE_KEYS = ['sentAt', 'providerMessageId', 'lastError', 'rejectedAt', 'deadAt', 'reason', 'replays', 'replayedAt'] as const satisfies ReadonlyArray<keyof OutboxState>;

/** Written for every message queued or settled, so a plain loop rather than entries and filters. */
function outboxState(message: OutboxMessage): OutboxState {
  const state: Record<string, unknown> = {};
  for (const key of OUTBOX_STATE_KEYS) {
    const value = message[key];
    if (value !== undefined) state[key] = value;
  }
  return state as OutboxState;
}

function optionalText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/**
 * A row back to a message. Rows written before schema version 4 carry status and attempts in the
 * document too; the columns, which every version keeps current, win.
 */
function outboxMessageOf(row: SqlRow): OutboxMessage {
  const nextAttemptAt = optionalText(row['next_attempt_at']);
  const claimedBy = optionalText(row['claimed_by']);
  const leaseUntil = optionalText(row['lease_until']);
  return {
    ...decode<OutboxMessage>(row['document']),
    ...decode<OutboxState>(row['state']),
    status: outboxStatusSchema.parse(row['status']),
    attempts: Number(row['attempts']),
    ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
    ...(claimedBy === undefined ? {} : { claimedBy }),
    ...(leaseUntil === undefined ? {} : { leaseUntil }),
  };
}

/** The life-cycle columns of a message, in the order of `UPDATE_LIFECYCLE`'s $1…$7. */
function lifecycleValues(message: OutboxMessage): SqlValue[] {
  return [
    message.status,
    message.attempts,
    dueMs(message) ?? null,
    message.nextAttemptAt ?? null,
    message.claimedBy ?? null,
    message.leaseUntil ?? null,
    JSON.stringify(outboxState(message)),
  ];
}

// Compare-and-set: the row changes only if nobody claimed or settled it since it was read.
// The parameters are numbered in the order they appear, which lets SQLite bind them by position.
const UPDATE_LIFECYCLE = `UPDATE outbox SET status = $1, attempts = $2, due_ms = $3, next_attempt_at = $4, claimed_by = $5, lease_until = $6, state = $7
  WHERE id = $8 AND status = $9 AND attempts = $10 AND COALESCE(claimed_by, '') = $11`;

/**
 * Settles claimed messages from their claimed state, guarded like `UPDATE_LIFECYCLE` by the claim
 * itself. SQLite runs one prepared single-row statement per message (no round trips to save, and a
 * statement text per batch size would fill the statement cache); PostgreSQL one statement per
 * chunk, joining a VALUES list.
 */
async function settleClaimedRows(sql: SqlExecutor, planned: ReadonlyArray<{ id: string; attempts: number; next: OutboxMessage | undefined }>, workerId: string): Promise<boolean[]> {
  if (sql.dialect !== 'postgres') {
    const changed: boolean[] = [];
    for (const { id, attempts, next } of planned) {
      changed.push(next !== undefined && (await sql.execute(UPDATE_LIFECYCLE, [...lifecycleValues(next), id, 'sending', attempts, workerId])) > 0);
    }
    return changed;
  }
  const settled = new Set<string>();
  const writable = planned.filter((entry) => entry.next !== undefined);
  for (let start = 0; start < writable.length; start += SETTLE_CHUNK) {
    const chunk = writable.slice(start, start + SETTLE_CHUNK);
    const values: SqlValue[] = [workerId];
    const rows = chunk.map(({ id, attempts, next }) => {
      const first = values.length;
      values.push(id, attempts, ...lifecycleValues(next as OutboxMessage));
      // Parameters arrive untyped; the casts give the VALUES columns the types they are compared and stored as.
      const types = ['', 'integer', '', 'integer', 'bigint', '', '', '', 'jsonb'];
      return `(${types.map((type, index) => (type === '' ? `$${first + index + 1}` : `CAST($${first + index + 1} AS ${type})`)).join(', ')})`;
    });
    const changed = await sql.query(
      `UPDATE outbox SET status = v.status, attempts = v.attempts, due_ms = v.due_ms, next_attempt_at = v.next_attempt_at, claimed_by = v.claimed_by, lease_until = v.lease_until, state = v.state
      FROM (VALUES ${rows.join(', ')}) AS v (id, claimed_attempts, status, attempts, due_ms, next_attempt_at, claimed_by, lease_until, state)
      WHERE outbox.id = v.id AND outbox.status = 'sending' AND outbox.attempts = v.claimed_attempts AND outbox.claimed_by = $1
      RETURNING outbox.id`,
      values,
    );
    for (const row of changed) settled.add(String(row['id']));
  }
  return planned.map(({ id, next }) => next !== undefined && settled.has(id));
}

/** Messages per settling statement on PostgreSQL: 9 parameters each, well under its 65,535. */
const SETTLE_CHUNK = 500;

function outboxRepository(sql: SqlExecutor): OutboxRepository {
  const get = async (id: string): Promise<OutboxMessage | undefined> => {
    const row = (await sql.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id = $1`, [id]))[0];
    return row === undefined ? undefined : outboxMessageOf(row);
  };
  /** Reads, computes the next state, and writes it if the row did not move meanwhile; else tries again. */
  const transition = async (id: string, next: (message: OutboxMessage) => OutboxMessage | undefined): Promise<boolean> => {
    for (let round = 0; round < 8; round += 1) {
      const current = await get(id);
      const changed = current === undefined ? undefined : next(current);
      if (current === undefined || changed === undefined) return false;
      const written = await sql.execute(UPDATE_LIFECYCLE, [...lifecycleValues(changed), id, current.status, current.attempts, current.claimedBy ?? '']);
      if (written > 0) return true;
    }
    return false;
  };
  const settle = (id: string, outcome: OutboxOutcome, options: OutboxSettleOptions | undefined): Promise<boolean> =>
    transition(id, (message) => settledMessage(message, outcome, options));
  const channelFilter = (channels: readonly string[] | undefined, values: SqlValue[]): string => {
    if (channels === undefined) return '';
    const first = values.length;
    values.push(...channels);
    return ` AND channel IN (${placeholders(channels.length, first)})`;
  };
  return {
    async enqueue(messages) {
      if (messages.length === 0) return;
      const rows = messages.map((message) => {
        const queued = queuedMessage(message);
        return [
          queued.id,
          queued.customerId,
          queued.channel,
          instant(queued.createdAt),
          JSON.stringify(queuedFields(queued)),
          ...lifecycleValues(queued),
        ];
      });
      await sql.bulkWrite({
        table: 'outbox',
        columns: ['id', 'customer_id', 'channel', 'created_ms', 'document', 'status', 'attempts', 'due_ms', 'next_attempt_at', 'claimed_by', 'lease_until', 'state'],
        key: ['id'],
        mode: 'ignore',
        rows,
      });
    },
    async pending(limit) {
      const rows = await sql.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE status = 'pending' ORDER BY created_ms, id LIMIT $1`, [pageLimit({ limit })]);
      return rows.map(outboxMessageOf);
    },
    get,
    async getMany(ids) {
      const found: OutboxMessage[] = [];
      const distinct = [...new Set(ids)];
      for (let start = 0; start < distinct.length; start += 500) {
        const chunk = distinct.slice(start, start + 500);
        const rows = await sql.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE id IN (${placeholders(chunk.length)})`, chunk);
        found.push(...rows.map(outboxMessageOf));
      }
      return found;
    },
    async claim(claim) {
      if (claim.channels?.length === 0) return [];
      const now = instant(claim.now);
      const leaseUntil = leaseEnd(claim);
      const values: SqlValue[] = [claim.workerId, leaseUntil, instant(leaseUntil), now, pageLimit({ limit: claim.limit })];
      const channels = channelFilter(claim.channels, values);
      // PostgreSQL: SKIP LOCKED lets concurrent claims pass each other's rows instead of queuing; the
      // outer conditions are checked again on the locked row, so a row another claim just took (now
      // leased into the future) is left out. SQLite: the UPDATE takes the write lock before it
      // reads, so claims run one at a time, as under BEGIN IMMEDIATE.
      // PostgreSQL could run an `IN (subquery)` more than once per statement; `= ANY(ARRAY(…))`
      // picks the rows exactly once.
      const picked = `SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND due_ms <= $4${channels} ORDER BY due_ms, id LIMIT $5`;
      const chosen = sql.dialect === 'postgres' ? `id = ANY(ARRAY(${picked} FOR UPDATE SKIP LOCKED))` : `id IN (${picked})`;
      const rows = await sql.query(
        `UPDATE outbox SET status = 'sending', claimed_by = $1, lease_until = $2, due_ms = $3, next_attempt_at = NULL, attempts = attempts + 1
        WHERE ${chosen} AND status IN ('pending', 'sending') AND due_ms <= $4
        RETURNING ${OUTBOX_COLUMNS}, created_ms`,
        values,
      );
      return rows
        .map((row) => ({ message: outboxMessageOf(row), created: Number(row['created_ms']) }))
        .sort((a, b) => a.created - b.created || (a.message.id < b.message.id ? -1 : 1))
        .map(({ message }) => message);
    },
    async nextDueAt(options) {
      const values: SqlValue[] = [];
      const channels = channelFilter(options?.channels, values);
      if (options?.channels?.length === 0) return undefined;
      const statuses = options?.includeLeases === false ? "('pending')" : "('pending', 'sending')";
      const rows = await sql.query(`SELECT MIN(due_ms) AS due FROM outbox WHERE status IN ${statuses}${channels}`, values);
      const due = rows[0]?.['due'];
      return due === null || due === undefined ? undefined : new Date(Number(due)).toISOString();
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
      // A message the worker does not hold by its own account (not sending, someone else's) cannot change.
      const planned = settlements.map(({ message, outcome }) => ({ id: message.id, attempts: message.attempts, next: settledMessage(message, outcome, { workerId }) }));
      return settleClaimedRows(sql, planned, workerId);
    },
    async deadLetters(options) {
      const values: SqlValue[] = [];
      const conditions = ["status = 'dead'"];
      if (options?.afterId !== undefined) {
        values.push(options.afterId);
        conditions.push(`id > $${values.length}`);
      }
      values.push(pageLimit(options));
      const rows = await sql.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT $${values.length}`, values);
      return rows.map(outboxMessageOf);
    },
    async replay(id, now) {
      return transition(id, (message) => replayedMessage(message, now));
    },
    async countByStatus() {
      const counts: OutboxStatusCounts = { pending: 0, sending: 0, sent: 0, rejected: 0, dead: 0 };
      for (const row of await sql.query('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status')) {
        const status = outboxStatusSchema.safeParse(row['status']);
        if (status.success) counts[status.data] = Number(row['n']);
      }
      return counts;
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
  const utf8 = write.utf8Columns ?? [];
  const parameter = (column: number, row: number): string => {
    const name = `$${row * width + column + 1}`;
    // CAST: SQLite would store bound bytes as a blob, which its JSON functions refuse.
    return utf8.includes(write.columns[column] as string) ? `CAST(${name} AS TEXT)` : name;
  };
  const row = (index: number): string => `(${write.columns.map((_, column) => parameter(column, index)).join(', ')})`;
  const values = Array.from({ length: rowCount }, (_, index) => row(index)).join(', ');
  const insert = `INSERT INTO ${write.table} (${write.columns.join(', ')}) VALUES ${values}`;
  if (write.mode === 'append') return insert;
  const target = `ON CONFLICT (${write.key.join(', ')})`;
  if (write.mode === 'ignore') return `${insert} ${target} DO NOTHING`;
  return `${insert} ${target} DO UPDATE SET ${conflictUpdates(write)}`;
}

/** The SET list of an upsert: each non-key column from the incoming row unless `update` says otherwise. */
export function conflictUpdates(write: Pick<BulkWrite, 'columns' | 'key' | 'update'>): string {
  return write.columns
    .filter((column) => !write.key.includes(column))
    .map((column) => `${column} = ${write.update?.[column] ?? `excluded.${column}`}`)
    .join(', ');
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
