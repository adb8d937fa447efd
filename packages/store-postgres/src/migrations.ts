// The schema in PostgreSQL's dialect, one entry per version of core's `storeMigrations`.
// Keys use the "C" collation so that id order is code-point order, as in SQLite and in memory.
import type { MigrationStep } from '@kequn/core';

export interface PostgresMigration extends MigrationStep {
  sql: string;
}

const appendOnly = (table: string, what: string): string => `
  CREATE FUNCTION ${table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${what} is append-only'; END $$;
  CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION ${table}_append_only();
`;

/** A list in the customer document rewritten element by element; elements already rows are kept. */
const rowsOf = (path: string, values: string): string =>
  `COALESCE((SELECT jsonb_agg(CASE WHEN jsonb_typeof(value) = 'object' THEN ${values} ELSE value END ORDER BY position)
    FROM jsonb_array_elements(document #> '${path}') WITH ORDINALITY AS element(value, position)), '[]'::jsonb)`;

/** `[a, b, c, d]`, plus `e` when the element has it. */
const withOptional = (fields: readonly string[], optional: string): string => {
  const values = fields.map((field) => `value -> '${field}'`).join(', ');
  return `CASE WHEN value ? '${optional}' THEN jsonb_build_array(${values}, value -> '${optional}') ELSE jsonb_build_array(${values}) END`;
};

export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'customers, organisation, products and events',
    sql: `
      CREATE TABLE customers (id TEXT COLLATE "C" PRIMARY KEY, branch_id TEXT NOT NULL, manager_id TEXT COLLATE "C", document JSONB NOT NULL);
      CREATE INDEX customers_by_manager ON customers (manager_id, id);
      CREATE TABLE managers (id TEXT COLLATE "C" PRIMARY KEY, branch_id TEXT NOT NULL, document JSONB NOT NULL);
      CREATE TABLE branches (id TEXT COLLATE "C" PRIMARY KEY, document JSONB NOT NULL);
      CREATE TABLE products (id TEXT COLLATE "C" PRIMARY KEY, document JSONB NOT NULL);
      CREATE TABLE customer_events (
        id TEXT COLLATE "C" PRIMARY KEY, customer_id TEXT COLLATE "C" NOT NULL, occurred_ms BIGINT NOT NULL,
        type TEXT NOT NULL, document JSONB NOT NULL
      );
      CREATE INDEX customer_events_by_customer ON customer_events (customer_id, occurred_ms);
    `,
  },
  {
    version: 2,
    name: 'membership history and tier changes',
    sql: `
      CREATE TABLE membership_changes (
        seq BIGSERIAL PRIMARY KEY, segment_id TEXT COLLATE "C" NOT NULL, customer_id TEXT COLLATE "C" NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('joined', 'left')), effective_from TEXT COLLATE "C" NOT NULL, document JSONB NOT NULL
      );
      CREATE INDEX membership_changes_by_segment ON membership_changes (segment_id, effective_from);
      CREATE INDEX membership_changes_by_customer ON membership_changes (customer_id);
      CREATE TABLE tier_changes (
        seq BIGSERIAL PRIMARY KEY, customer_id TEXT COLLATE "C" NOT NULL, tier TEXT NOT NULL,
        effective_from TEXT COLLATE "C" NOT NULL, document JSONB NOT NULL
      );
      CREATE INDEX tier_changes_by_customer ON tier_changes (customer_id, effective_from);
      CREATE INDEX tier_changes_by_day ON tier_changes (effective_from);
      ${appendOnly('membership_changes', 'membership history')}
      ${appendOnly('tier_changes', 'tier history')}
    `,
  },
  {
    version: 3,
    name: 'contact records, outbox, audit log and plugin state',
    sql: `
      CREATE TABLE contact_records (
        id TEXT COLLATE "C" PRIMARY KEY, customer_id TEXT COLLATE "C" NOT NULL, occurred_ms BIGINT NOT NULL, document JSONB NOT NULL
      );
      CREATE INDEX contact_records_by_customer ON contact_records (customer_id, occurred_ms);
      CREATE TABLE outbox (
        id TEXT COLLATE "C" PRIMARY KEY, customer_id TEXT COLLATE "C" NOT NULL, status TEXT NOT NULL,
        created_ms BIGINT NOT NULL, document JSONB NOT NULL
      );
      CREATE INDEX outbox_by_status ON outbox (status, created_ms);
      CREATE TABLE audit_log (
        sequence BIGSERIAL PRIMARY KEY, actor TEXT COLLATE "C" NOT NULL, subject TEXT COLLATE "C" NOT NULL, document JSONB NOT NULL
      );
      CREATE INDEX audit_log_by_actor ON audit_log (actor, sequence);
      CREATE INDEX audit_log_by_subject ON audit_log (subject, sequence);
      ${appendOnly('audit_log', 'the audit log')}
      CREATE TABLE plugin_state (key TEXT COLLATE "C" PRIMARY KEY, value JSONB NOT NULL);
    `,
  },
  {
    version: 4,
    name: 'outbox dispatch life cycle: claims with leases, retries, dead letters',
    // Rows of version 3 stay valid: their channel and attempts move into columns, and a message
    // that had \`failed\` (retried by hand until now) is pending again, due at once.
    sql: `
      ALTER TABLE outbox
        ADD COLUMN channel TEXT NOT NULL DEFAULT '',
        ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0,
        ADD COLUMN due_ms BIGINT,
        ADD COLUMN next_attempt_at TEXT,
        ADD COLUMN claimed_by TEXT COLLATE "C",
        ADD COLUMN lease_until TEXT,
        ADD COLUMN state JSONB NOT NULL DEFAULT '{}'::jsonb;
      UPDATE outbox SET
        channel = document->>'channel',
        attempts = COALESCE((document->>'attempts')::integer, 0),
        status = CASE WHEN status = 'failed' THEN 'pending' ELSE status END,
        due_ms = CASE WHEN status IN ('pending', 'failed') THEN created_ms ELSE NULL END;
      CREATE INDEX outbox_due ON outbox (status, due_ms);
      CREATE INDEX outbox_channel_due ON outbox (channel, status, due_ms);
    `,
  },
  {
    version: 5,
    name: 'customer documents keep monthly balances, consents and holdings as rows of values',
    // What core's customer-document.ts writes from now on.
    sql: `
      UPDATE customers SET document = jsonb_set(jsonb_set(jsonb_set(document,
        '{assets,monthlyAverages}', ${rowsOf('{assets,monthlyAverages}', "jsonb_build_array(value -> 'month', value -> 'averageDailyBalance')")}),
        '{consents}', ${rowsOf('{consents}', withOptional(['channel', 'purpose', 'granted', 'recordedAt'], 'expiresAt'))}),
        '{holdings}', ${rowsOf('{holdings}', withOptional(['productId', 'productType', 'amount', 'openedAt'], 'maturityDate'))});
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
