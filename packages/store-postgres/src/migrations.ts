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
];
