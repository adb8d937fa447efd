// The book's own versioned schema, tracked in `books_schema_version` beside (never inside) the core
// store's `kequn_migrations`. The SQL is the subset SQLite and PostgreSQL share; each statement is
// idempotent, so a migration interrupted before its version row is written simply runs again.
import type { SqlExecutor } from '@kequn/core';
import { BookSchemaTooNewError } from '../errors.js';

export interface BookMigration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const bookMigrations: readonly BookMigration[] = Object.freeze([
  {
    version: 1,
    name: 'allocation runs and assignment history',
    statements: [
      'CREATE TABLE IF NOT EXISTS book_allocation_runs (id TEXT PRIMARY KEY, month TEXT NOT NULL, status TEXT NOT NULL, document TEXT NOT NULL)',
      'CREATE TABLE IF NOT EXISTS book_assignments (customer_id TEXT NOT NULL, reference TEXT NOT NULL, effective_ms BIGINT NOT NULL, document TEXT NOT NULL, PRIMARY KEY (customer_id, reference))',
    ],
  },
  {
    version: 2,
    name: 'hand-off cases and contact states',
    statements: [
      'CREATE TABLE IF NOT EXISTS book_handoffs (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, status TEXT NOT NULL, document TEXT NOT NULL)',
      'CREATE INDEX IF NOT EXISTS book_handoffs_customer ON book_handoffs (customer_id)',
      'CREATE TABLE IF NOT EXISTS book_contact_states (customer_id TEXT PRIMARY KEY, manager_id TEXT, document TEXT NOT NULL)',
      'CREATE INDEX IF NOT EXISTS book_contact_states_manager ON book_contact_states (manager_id)',
    ],
  },
]);

export const LATEST_BOOK_SCHEMA_VERSION = bookMigrations.length;

export async function bookSchemaVersion(sql: SqlExecutor): Promise<number> {
  await sql.execute('CREATE TABLE IF NOT EXISTS books_schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const rows = await sql.query('SELECT COALESCE(MAX(version), 0) AS version FROM books_schema_version');
  return Number(rows[0]?.['version'] ?? 0);
}

/** Brings the book tables up to date; `appliedAt` is recorded with each version. Returns the version. */
export async function migrateBookStore(sql: SqlExecutor, appliedAt: string): Promise<number> {
  const current = await bookSchemaVersion(sql);
  if (current > LATEST_BOOK_SCHEMA_VERSION) throw new BookSchemaTooNewError(current, LATEST_BOOK_SCHEMA_VERSION);
  for (const migration of bookMigrations.filter((step) => step.version > current)) {
    for (const statement of migration.statements) await sql.execute(statement);
    await sql.execute('INSERT INTO books_schema_version (version, name, applied_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING', [
      migration.version,
      migration.name,
      appliedAt,
    ]);
  }
  return bookSchemaVersion(sql);
}
