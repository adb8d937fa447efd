// Test executors for the book's SQL store. The core stores keep their executors private, so the
// tests drive better-sqlite3 and pg directly, with core's shared INSERT builder for bulk writes.
import Database from 'better-sqlite3';
import type pg from 'pg';
import { insertStatement, type SqlExecutor, type BulkValue } from '@kequn/core';

const ROWS_PER_STATEMENT = 100;

/** The book's SQL uses each `$n` once and in order, so SQLite's positional `?` fits it. */
function sqliteText(sql: string): string {
  const numbers = [...sql.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
  if (!numbers.every((number, index) => number === index + 1)) throw new Error(`parameters out of order in: ${sql}`);
  return sql.replace(/\$\d+/g, '?');
}

export function sqliteExecutor(db: Database.Database): SqlExecutor {
  return {
    async query(sql, params = []) {
      return db.prepare(sqliteText(sql)).all(...params) as Record<string, unknown>[];
    },
    async execute(sql, params = []) {
      return db.prepare(sqliteText(sql)).run(...params).changes;
    },
    async bulkWrite(write) {
      for (let start = 0; start < write.rows.length; start += ROWS_PER_STATEMENT) {
        const rows = write.rows.slice(start, start + ROWS_PER_STATEMENT);
        db.prepare(sqliteText(insertStatement(write, rows.length))).run(...rows.flat());
      }
    },
  };
}

export function openSqlite(path: string): Database.Database {
  return new Database(path);
}

export function postgresExecutor(pool: pg.Pool): SqlExecutor {
  const run = (sql: string, params: readonly BulkValue[]) => pool.query(sql, [...params]);
  return {
    async query(sql, params = []) {
      return (await run(sql, params)).rows as Record<string, unknown>[];
    },
    async execute(sql, params = []) {
      return (await run(sql, params)).rowCount ?? 0;
    },
    async bulkWrite(write) {
      for (let start = 0; start < write.rows.length; start += ROWS_PER_STATEMENT) {
        const rows = write.rows.slice(start, start + ROWS_PER_STATEMENT);
        await run(insertStatement(write, rows.length), rows.flat());
      }
    },
  };
}
