// The schema in SQLite's dialect, one entry per version of core's `storeMigrations`.
// Records are JSON text in `document`; the other columns exist for lookups and ordering.
import type { MigrationStep } from '@kequn/core';

export interface SqliteMigration extends MigrationStep {
  sql: string;
}

/** A list in the document rewritten element by element; elements already rows are kept. `json()` because a subquery's result loses its JSON subtype. */
const rowsOf = (path: string, values: string): string =>
  `json((SELECT json_group_array(CASE WHEN json_type(value) = 'object' THEN ${values} ELSE json(value) END ORDER BY key) FROM json_each(customers.document, '${path}')))`;

/** `[a, b, c, d]`, plus `e` when the element has it. */
const withOptional = (fields: readonly string[], optional: string): string => {
  const values = fields.map((field) => `value -> '$.${field}'`).join(', ');
  return `CASE WHEN value -> '$.${optional}' IS NULL THEN json_array(${values}) ELSE json_array(${values}, value -> '$.${optional}') END`;
};

export const sqliteMigrations: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'customers, organisation, products and events',
    sql: `
      CREATE TABLE customers (id TEXT PRIMARY KEY, branch_id TEXT NOT NULL, manager_id TEXT, document TEXT NOT NULL);
      CREATE INDEX customers_by_manager ON customers (manager_id, id);
      CREATE TABLE managers (id TEXT PRIMARY KEY, branch_id TEXT NOT NULL, document TEXT NOT NULL);
      CREATE TABLE branches (id TEXT PRIMARY KEY, document TEXT NOT NULL);
      CREATE TABLE products (id TEXT PRIMARY KEY, document TEXT NOT NULL);
      CREATE TABLE customer_events (
        id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, occurred_ms INTEGER NOT NULL, type TEXT NOT NULL, document TEXT NOT NULL
      );
      CREATE INDEX customer_events_by_customer ON customer_events (customer_id, occurred_ms);
    `,
  },
  {
    version: 2,
    name: 'membership history and tier changes',
    sql: `
      CREATE TABLE membership_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, segment_id TEXT NOT NULL, customer_id TEXT NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('joined', 'left')), effective_from TEXT NOT NULL, document TEXT NOT NULL
      );
      CREATE INDEX membership_changes_by_segment ON membership_changes (segment_id, effective_from);
      CREATE INDEX membership_changes_by_customer ON membership_changes (customer_id);
      CREATE TABLE tier_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, tier TEXT NOT NULL,
        effective_from TEXT NOT NULL, document TEXT NOT NULL
      );
      CREATE INDEX tier_changes_by_customer ON tier_changes (customer_id, effective_from);
      CREATE INDEX tier_changes_by_day ON tier_changes (effective_from);
      -- Append-only: history is corrected by a later change, never by editing the past.
      CREATE TRIGGER membership_changes_append_only_update BEFORE UPDATE ON membership_changes
        BEGIN SELECT RAISE(ABORT, 'membership history is append-only'); END;
      CREATE TRIGGER membership_changes_append_only_delete BEFORE DELETE ON membership_changes
        BEGIN SELECT RAISE(ABORT, 'membership history is append-only'); END;
      CREATE TRIGGER tier_changes_append_only_update BEFORE UPDATE ON tier_changes
        BEGIN SELECT RAISE(ABORT, 'tier history is append-only'); END;
      CREATE TRIGGER tier_changes_append_only_delete BEFORE DELETE ON tier_changes
        BEGIN SELECT RAISE(ABORT, 'tier history is append-only'); END;
    `,
  },
  {
    version: 3,
    name: 'contact records, outbox, audit log and plugin state',
    sql: `
      CREATE TABLE contact_records (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, occurred_ms INTEGER NOT NULL, document TEXT NOT NULL);
      CREATE INDEX contact_records_by_customer ON contact_records (customer_id, occurred_ms);
      CREATE TABLE outbox (
        id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL, created_ms INTEGER NOT NULL, document TEXT NOT NULL
      );
      CREATE INDEX outbox_by_status ON outbox (status, created_ms);
      CREATE TABLE audit_log (
        sequence INTEGER PRIMARY KEY AUTOINCREMENT, actor TEXT NOT NULL, subject TEXT NOT NULL, document TEXT NOT NULL
      );
      CREATE INDEX audit_log_by_actor ON audit_log (actor, sequence);
      CREATE INDEX audit_log_by_subject ON audit_log (subject, sequence);
      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TABLE plugin_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'outbox dispatch life cycle: claims with leases, retries, dead letters',
    // Rows of version 3 stay valid: their channel and attempts move into columns, and a message
    // that had \`failed\` (retried by hand until now) is pending again, due at once.
    sql: `
      ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT '';
      ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE outbox ADD COLUMN due_ms INTEGER;
      ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
      ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
      ALTER TABLE outbox ADD COLUMN lease_until TEXT;
      ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT '{}';
      UPDATE outbox SET
        channel = json_extract(document, '$.channel'),
        attempts = COALESCE(json_extract(document, '$.attempts'), 0),
        status = CASE WHEN status = 'failed' THEN 'pending' ELSE status END,
        due_ms = CASE WHEN status IN ('pending', 'failed') THEN created_ms ELSE NULL END;
      CREATE INDEX outbox_due ON outbox (status, due_ms);
      CREATE INDEX outbox_channel_due ON outbox (channel, status, due_ms);
    `,
  },
  {
    version: 5,
    name: 'customer documents keep monthly balances, consents and holdings as rows of values',
    // What core's customer-document.ts writes from now on; `->` keeps each value's JSON text, so
    // amounts come back digit for digit.
    sql: `
      UPDATE customers SET document = json_set(document,
        '$.assets.monthlyAverages', ${rowsOf('$.assets.monthlyAverages', "json_array(value -> '$.month', value -> '$.averageDailyBalance')")},
        '$.consents', ${rowsOf('$.consents', withOptional(['channel', 'purpose', 'granted', 'recordedAt'], 'expiresAt'))},
        '$.holdings', ${rowsOf('$.holdings', withOptional(['productId', 'productType', 'amount', 'openedAt'], 'maturityDate'))});
    `,
  },
  {
    version: 6,
    name: 'outbox claims read a partial index of the messages still to send, in the order they are claimed',
    // Claims pick the earliest due by (due_ms, id); the status-first indexes made the database sort
    // every waiting message of the channel for each claim. Sent, rejected and dead messages leave
    // the index, so it stays the size of the queue, and settling a message touches one index fewer.
    sql: `
      DROP INDEX outbox_due;
      DROP INDEX outbox_channel_due;
      CREATE INDEX outbox_claimable ON outbox (channel, due_ms, id) WHERE status IN ('pending', 'sending');
    `,
  },
];
