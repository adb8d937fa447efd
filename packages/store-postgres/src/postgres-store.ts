// The production store: PostgreSQL through a pool of connections. Bulk writes stream rows with
// COPY into a scratch table and merge them with one INSERT … ON CONFLICT, inside a transaction.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  conflictUpdates,
  createSqlRepositories,
  insertStatement,
  pendingMigrations,
  StoreClosedError,
  StoreMigrationError,
  StoreUnavailableError,
  type BulkValue,
  type BulkWrite,
  type SqlExecutor,
  type SqlRow,
  type SqlStore,
  type SqlStoreRepositories,
  type SqlValue,
} from '@kequn/core';
import { postgresMigrations } from './migrations.js';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Below this many rows a multi-row INSERT is cheaper than setting up a COPY. */
const COPY_THRESHOLD = 200;
/** Any number identifies the migration lock; this one spells "kequn" on a phone keypad. */
const MIGRATION_LOCK = 537_866;

export interface PostgresStoreOptions {
  /** Connection URL; default `KEQUN_PG_URL`, else postgres://postgres@127.0.0.1:5432/test. */
  url?: string;
  /** The schema holding Kequn's tables, created if missing. Default `public`. */
  schema?: string;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
}

export interface PostgresStore extends SqlStore {
  readonly kind: 'postgres';
  readonly schema: string;
}

type Queryable = pg.Pool | pg.PoolClient;

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Text format of COPY: backslash escapes, tab between columns, \N for null. */
function copyField(value: SqlValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (character) => {
    if (character === '\t') return '\\t';
    if (character === '\n') return '\\n';
    if (character === '\r') return '\\r';
    return '\\\\';
  });
}

function* copyLines(rows: readonly (readonly SqlValue[])[]): Generator<string> {
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.map(copyField).join('\t')}\n`;
    if (chunk.length >= 1 << 16) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** A bulk write's rows and columns once its bytes are text. */
type TextWrite = Omit<BulkWrite, 'rows' | 'utf8Columns'> & { rows: readonly (readonly SqlValue[])[] };

/**
 * Values given as UTF-8 bytes (`utf8Columns`) decoded to strings: pg would send a Uint8Array as
 * bytea, and the document column is jsonb.
 */
function asText(write: BulkWrite): TextWrite {
  const { utf8Columns, rows, ...rest } = write;
  const decode = (value: BulkValue): SqlValue =>
    value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8') : value;
  if (utf8Columns === undefined || utf8Columns.length === 0) return { ...rest, rows: rows as readonly (readonly SqlValue[])[] };
  return { ...rest, rows: rows.map((row) => row.map(decode)) };
}

/** PostgreSQL refuses to update one row twice in a statement: the last write of a key wins. */
function lastPerKey(write: TextWrite): readonly (readonly SqlValue[])[] {
  if (write.mode === 'append') return write.rows;
  const positions = write.key.map((column) => write.columns.indexOf(column));
  const byKey = new Map<string, readonly SqlValue[]>();
  for (const row of write.rows) {
    const key = JSON.stringify(positions.map((position) => row[position]));
    if (write.mode === 'ignore' && byKey.has(key)) continue;
    byKey.set(key, row);
  }
  return byKey.size === write.rows.length ? write.rows : [...byKey.values()];
}

let scratchCounter = 0;

async function copyRows(client: pg.PoolClient, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyLines(rows)), stream);
}

/** Runs on a client already inside a transaction. */
async function bulkWriteOn(client: pg.PoolClient, bulk: BulkWrite): Promise<void> {
  const write = asText(bulk);
  const rows = lastPerKey(write);
  if (rows.length <= COPY_THRESHOLD) {
    await client.query(insertStatement(write, rows.length), rows.flat());
    return;
  }
  if (write.mode === 'append') {
    await copyRows(client, write.table, write.columns, rows);
    return;
  }
  scratchCounter += 1;
  const scratch = `kequn_load_${scratchCounter}`;
  const columns = write.columns.join(', ');
  await client.query(`CREATE TEMP TABLE ${scratch} ON COMMIT DROP AS SELECT ${columns} FROM ${write.table} WITH NO DATA`);
  await copyRows(client, scratch, write.columns, rows);
  const conflict = `ON CONFLICT (${write.key.join(', ')})`;
  const action = write.mode === 'ignore' ? 'DO NOTHING' : `DO UPDATE SET ${conflictUpdates(write)}`;
  await client.query(`INSERT INTO ${write.table} (${columns}) SELECT ${columns} FROM ${scratch} ${conflict} ${action}`);
  await client.query(`DROP TABLE ${scratch}`);
}

async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function createExecutor(target: Queryable, pool: pg.Pool, transactionClient: pg.PoolClient | undefined, assertOpen: () => void): SqlExecutor {
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      assertOpen();
      const result = await target.query(sql, [...params]);
      return result.rows as SqlRow[];
    },
    async execute(sql, params = []) {
      assertOpen();
      const result = await target.query(sql, [...params]);
      return result.rowCount ?? 0;
    },
    async bulkWrite(write) {
      assertOpen();
      if (write.rows.length === 0) return;
      if (transactionClient !== undefined) return bulkWriteOn(transactionClient, write);
      return inTransaction(pool, (client) => bulkWriteOn(client, write));
    },
  };
}

async function migrate(pool: pg.Pool, schema: string, location: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    // Two processes opening a fresh database at once must not both apply version 1.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    await client.query('CREATE TABLE IF NOT EXISTS kequn_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
    const current = await client.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM kequn_migrations');
    for (const step of pendingMigrations(location, current.rows[0]?.version ?? 0, postgresMigrations)) {
      try {
        await client.query(step.sql);
      } catch (error) {
        throw new StoreMigrationError(location, step.version, step.name, error);
      }
      await client.query('INSERT INTO kequn_migrations (version, name, applied_at) VALUES ($1, $2, now())', [step.version, step.name]);
    }
  });
}

/** Without the password, for messages and logs. */
function describeLocation(url: string, schema: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return `${parsed.toString()} (schema ${schema})`;
  } catch {
    return `a PostgreSQL URL (schema ${schema})`;
  }
}

/** Connects, creates the schema if needed and brings it up to date. */
export async function openPostgresStore(options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const url = options.url ?? process.env['KEQUN_PG_URL'] ?? DEFAULT_POSTGRES_URL;
  const schema = options.schema ?? 'public';
  const location = describeLocation(url, schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Every connection sees Kequn's schema first, so the shared SQL needs no schema prefix.
    options: `-c search_path=${quoteIdentifier(schema)}`,
  });
  // An idle connection that the server drops must not crash the process.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, schema, location);
  } catch (error) {
    await pool.end();
    if (error instanceof StoreMigrationError) throw error;
    if (error instanceof Error && 'code' in error && error.code === 'KQ_STORE_SCHEMA_TOO_NEW') throw error;
    throw new StoreUnavailableError(location, error);
  }
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new StoreClosedError('postgres');
  };
  const sql = createExecutor(pool, pool, undefined, assertOpen);
  const repositories = createSqlRepositories(sql);

  return {
    kind: 'postgres',
    schema,
    ...repositories,
    sql,
    async transaction<T>(work: (tx: SqlStoreRepositories) => Promise<T>): Promise<T> {
      assertOpen();
      return inTransaction(pool, (client) => {
        const transactionSql = createExecutor(client, pool, client, assertOpen);
        return work({ ...createSqlRepositories(transactionSql), sql: transactionSql });
      });
    },
    async schemaVersion() {
      assertOpen();
      const result = await pool.query<{ version: number }>('SELECT COALESCE(MAX(version), 0) AS version FROM kequn_migrations');
      return result.rows[0]?.version ?? 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
