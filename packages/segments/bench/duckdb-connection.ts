// An embedded DuckDB database as a SqlExecutor that can also list a segment's members; used by the
// DuckDB comparison of the benchmark and by the differential tests.
import { DuckDBDateValue, DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { toEpochDay } from '@kequn/core';
import type { SqlCellKind, SqlExecutor, SqlRowBatch } from '../src/sql/index.js';

export interface DuckDbDatabase extends SqlExecutor {
  /** The first column of every row the query returns, as strings (customer ids). */
  memberIds(sql: string, params: readonly unknown[]): Promise<string[]>;
  close(): void;
}

function bindable(params: readonly unknown[]): DuckDBValue[] {
  return params.map((value) => {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    throw new TypeError(`DuckDB cannot bind ${typeof value} parameters; the SQL compiler only binds strings, numbers and booleans.`);
  });
}

function appendCell(appender: DuckDBAppender, kind: SqlCellKind | undefined, value: unknown): void {
  if (value === null || value === undefined) {
    appender.appendNull();
    return;
  }
  switch (kind) {
    case 'double':
      appender.appendDouble(Number(value));
      return;
    case 'integer':
      appender.appendInteger(Number(value));
      return;
    case 'date':
      appender.appendDate(new DuckDBDateValue(toEpochDay(String(value))));
      return;
    case 'boolean':
      appender.appendBoolean(value === true);
      return;
    default:
      appender.appendVarchar(String(value));
  }
}

/** The appender writes whole rows in the table's column order, which is the order the loader uses. */
async function appendRows(connection: DuckDBConnection, batch: SqlRowBatch): Promise<void> {
  const appender = await connection.createAppender(batch.table, batch.namespace ?? null);
  for (const row of batch.rows) {
    row.forEach((value, index) => appendCell(appender, batch.kinds[index], value));
    appender.endRow();
  }
  appender.closeSync();
}

/** An in-memory DuckDB, single-threaded unless `threads` says otherwise. */
export async function openDuckDb(options: { threads?: number } = {}): Promise<DuckDbDatabase> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads ?? 1) });
  const connection: DuckDBConnection = await instance.connect();
  return {
    dialect: 'duckdb',
    async run(sql, params) {
      await connection.run(sql, bindable(params));
    },
    appendRows: (batch) => appendRows(connection, batch),
    async memberIds(sql, params) {
      const reader = await connection.runAndReadAll(sql, bindable(params));
      return reader.getRows().map((row) => String(row[0]));
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
