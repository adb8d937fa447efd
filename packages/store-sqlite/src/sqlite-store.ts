// The embedded default store: one SQLite file in WAL mode, migrated on open, no configuration.
// better-sqlite3 is synchronous, which suits an embedded file: a bulk write is a loop of prepared
// statements inside one transaction, with no round trips.
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import {
  createSqlRepositories,
  insertStatement,
  pendingMigrations,
  StoreClosedError,
  StoreMigrationError,
  StoreUnavailableError,
  type BulkWrite,
  type SqlExecutor,
  type SqlRow,
  type SqlStore,
  type SqlStoreRepositories,
  type SqlValue,
} from '@kequn/core';
import { sqliteMigrations } from './migrations.js';

/** Where the store lives when nobody says: beside the project, like `.git`. */
export const DEFAULT_SQLITE_PATH = './.kequn/kequn.db';

export interface SqliteStoreOptions {
  /** The database file; `:memory:` for a throwaway store. Default `./.kequn/kequn.db`. */
  path?: string;
  /**
   * Copy the write-ahead log into the database on a thread of its own (default true for a file):
   * the copy, and the waits for the disk it ends with, then no longer hold up the thread that
   * writes. Commits are as durable either way (synchronous = NORMAL).
   */
  backgroundCheckpoints?: boolean;
}

export interface SqliteStore extends SqlStore {
  readonly kind: 'sqlite';
  /** The absolute path of the file (or `:memory:`). */
  readonly path: string;
}

type Connection = Database.Database;
type Statement = Database.Statement<unknown[]>;

function openConnection(path: string): Connection {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  try {
    const db = new Database(path);
    // 16 KB pages for a new file (an existing one keeps its size): customer rows (~1.5 KB) fill a
    // page ten at a time instead of two, and a bulk import splits and writes far fewer pages
    // (measured: ~19 → ~11 µs a row for 2 KB documents).
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed transaction survives a crash of the process; only a power
    // loss can take back the last commits, never leave a half-written one.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // 64 MB of page cache (default 2 MB): a bulk write of thousands of 2 KB documents otherwise
    // evicts and re-reads the same B-tree pages within one transaction.
    db.pragma('cache_size = -65536');
    return db;
  } catch (error) {
    throw new StoreUnavailableError(path, error);
  }
}

function migrate(db: Connection, path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS kequn_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  // IMMEDIATE: two processes opening a fresh file at once must not both apply version 1.
  const applyPending = db.transaction(() => {
    const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM kequn_migrations').get() as { version: number };
    for (const step of pendingMigrations(path, row.version, sqliteMigrations)) {
      try {
        db.exec(step.sql);
      } catch (error) {
        throw new StoreMigrationError(path, step.version, step.name, error);
      }
      db.prepare('INSERT INTO kequn_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(step.version, step.name, new Date().toISOString());
    }
  });
  applyPending.immediate();
}

interface PreparedSql {
  statement: Statement;
  /** Whether parameters are bound by name (`@p1`) rather than by position. */
  named: boolean;
}

/**
 * Core's shared SQL numbers parameters `$1`. When each number appears once and in order they become
 * SQLite's positional `?` (the fast path bulk inserts take); otherwise named `@p1` parameters.
 */
function toSqlite(sql: string): { text: string; named: boolean } {
  const numbers = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
  const inOrder = numbers.every((number, index) => number === index + 1);
  if (inOrder) return { text: sql.replace(/\$\d+/g, '?'), named: false };
  return { text: sql.replace(/\$(\d+)/g, '@p$1'), named: true };
}

function namedParameters(params: readonly SqlValue[]): Record<string, SqlValue> {
  return Object.fromEntries(params.map((value, index) => [`p${index + 1}`, value]));
}

function createExecutor(db: Connection, assertOpen: () => void): SqlExecutor {
  const statements = new Map<string, PreparedSql>();
  const prepared = (sql: string): PreparedSql => {
    assertOpen();
    let entry = statements.get(sql);
    if (entry === undefined) {
      const { text, named } = toSqlite(sql);
      entry = { statement: db.prepare(text), named };
      statements.set(sql, entry);
    }
    return entry;
  };
  const bind = (entry: PreparedSql, params: readonly SqlValue[]): unknown[] => (entry.named ? [namedParameters(params)] : [...params]);
  // One single-row statement run per row: better-sqlite3 binds a row's few values without the
  // slicing, flattening and 400-argument spreads a multi-row VALUES list costs, and inside the
  // transaction SQLite does the same page work either way.
  const writeRows = db.transaction((write: BulkWrite) => {
    const insert = prepared(insertStatement(write, 1)).statement;
    for (const row of write.rows) insert.run(row);
  });
  return {
    dialect: 'sqlite',
    async query(sql, params = []) {
      const entry = prepared(sql);
      return entry.statement.all(...bind(entry, params)) as SqlRow[];
    },
    async execute(sql, params = []) {
      const entry = prepared(sql);
      return entry.statement.run(...bind(entry, params)).changes;
    },
    async bulkWrite(write) {
      // Inside an open transaction better-sqlite3 turns this into a savepoint, so it nests.
      writeRows(write);
    },
  };
}

/**
 * How often the checkpointing thread copies the log into the database. It copies only what is
 * committed and never waits for the writer (a PASSIVE checkpoint), so a short interval costs little.
 */
const CHECKPOINT_INTERVAL_MS = 100;
/**
 * Pages of log after which the writing connection checkpoints by itself after all (SQLite's own
 * automatic checkpoint, 1,000 pages by default): only if the checkpointing thread falls far behind.
 */
const FALLBACK_CHECKPOINT_PAGES = 16_384;

/**
 * The checkpointing thread: its own connection to the file, copying the log into the database
 * every CHECKPOINT_INTERVAL_MS until told to close. Plain JavaScript run from a string, so that it
 * needs no build step and no loader (better-sqlite3 is required by its resolved path).
 */
const checkpointerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
let timer;
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // A busy file is tried again next time; the writer's own fallback bounds the log meanwhile.
  }
  timer = setTimeout(checkpoint, workerData.intervalMs);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
`;

function startCheckpointer(path: string): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // No options of the parent's (`--input-type=module` would make this CommonJS source a module).
  const worker = new Worker(checkpointerSource, { eval: true, execArgv: [], workerData: { driver, path, intervalMs: CHECKPOINT_INTERVAL_MS } });
  // An open store must not keep a finished program alive.
  worker.unref();
  // A failed checkpointer leaves checkpoints to the writer's fallback; the store goes on.
  worker.on('error', () => undefined);
  return worker;
}

async function stopCheckpointer(worker: Worker): Promise<void> {
  const exited = once(worker, 'exit');
  // Held until it has gone: an unreferenced worker would let the program end with close() unsettled.
  worker.ref();
  worker.postMessage('close');
  await exited;
}

/** Opens (creating if needed) the SQLite store at `path` and brings its schema up to date. */
export async function openSqliteStore(options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const requested = options.path ?? DEFAULT_SQLITE_PATH;
  const path = requested === ':memory:' ? requested : resolve(requested);
  const db = openConnection(path);
  try {
    migrate(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  let checkpointer: Worker | undefined;
  if (path !== ':memory:' && (options.backgroundCheckpoints ?? true)) {
    db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(path);
  }
  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new StoreClosedError('sqlite');
  };
  const sql = createExecutor(db, assertOpen);
  // One connection: inside a transaction the same repositories and executor take part in it.
  const repositories: SqlStoreRepositories = { ...createSqlRepositories(sql), sql };
  let queue: Promise<unknown> = Promise.resolve();

  async function runTransaction<T>(work: (tx: SqlStoreRepositories) => Promise<T>): Promise<T> {
    assertOpen();
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(repositories);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    kind: 'sqlite',
    path,
    ...repositories,
    transaction<T>(work: (tx: SqlStoreRepositories) => Promise<T>): Promise<T> {
      const run = queue.then(() => runTransaction(work));
      queue = run.catch(() => undefined);
      return run;
    },
    async schemaVersion() {
      assertOpen();
      const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS version FROM kequn_migrations').get() as { version: number };
      return row.version;
    },
    async close() {
      if (closed) return;
      await queue;
      closed = true;
      if (checkpointer !== undefined) await stopCheckpointer(checkpointer);
      // The last connection to close copies what is left of the log into the database.
      db.close();
    },
  };
}
