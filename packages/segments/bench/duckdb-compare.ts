// The DuckDB side of `pnpm bench:segment`: the same segments, pushed down to SQL and run by an
// embedded DuckDB over the same customers. The benchmark script prints the figures; this module
// only loads and times.
import { performance } from 'node:perf_hooks';
import type { ColumnarTable, CustomerEvent } from '@kequn/core';
import type { SegmentDefinition } from '../src/rule.js';
import { compileRuleToSql, createSqlTables, loadCustomersIntoSql, sqlSchemaFor } from '../src/sql/index.js';
import { openDuckDb } from './duckdb-connection.js';

export interface DuckDbComparisonOptions {
  /** The customers, as the engine evaluates them (values are read from the table's columns). */
  table: ColumnarTable<unknown>;
  /** The segments to time; `{ segment }` references among them are inlined. */
  segments: readonly SegmentDefinition[];
  /** Events for behavioural conditions; leave out to time attribute rules only. */
  events?: Iterable<CustomerEvent>;
  /** The evaluation date; the table's asOf by default. */
  asOf?: string;
  /** Timed passes over all segments, after one warm-up pass. Default 5. */
  runs?: number;
  /** DuckDB worker threads; 1 by default, to compare with the single-threaded engine. */
  threads?: number;
}

export interface DuckDbSegmentTiming {
  readonly segmentId: string;
  /** Members DuckDB found, to check against the engine's counts. */
  readonly members: number;
  readonly medianMs: number;
}

export interface DuckDbComparison {
  readonly customers: number;
  readonly loadMs: number;
  /** Milliseconds of each timed pass over every segment. */
  readonly passesMs: readonly number[];
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly segments: readonly DuckDbSegmentTiming[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? 0;
  return ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Loads the table (and events) into an in-memory DuckDB and times every segment as SQL. Each query
 * counts its members (`SELECT COUNT(*) FROM (…)`), so DuckDB decides every membership without
 * shipping a million ids back to JavaScript.
 */
export async function compareWithDuckDb(options: DuckDbComparisonOptions): Promise<DuckDbComparison> {
  const { table, segments } = options;
  const asOf = options.asOf ?? table.asOf;
  const runs = Math.max(1, options.runs ?? 5);
  const database = await openDuckDb({ threads: options.threads ?? 1 });
  try {
    const schema = sqlSchemaFor(table.attributeIds().map((id) => table.column(id).definition));
    const loadStart = performance.now();
    await createSqlTables(database, schema);
    await loadCustomersIntoSql(database, { schema, table, ...(options.events === undefined ? {} : { events: options.events }) });
    const loadMs = performance.now() - loadStart;
    const queries = segments.map((segment) => {
      const { sql, params } = compileRuleToSql(segment.rule, { dialect: 'duckdb', schema, asOf, segments });
      return { segmentId: segment.id, sql: `SELECT COUNT(*) FROM (${sql}) AS members`, params };
    });
    const perSegment = queries.map(() => [] as number[]);
    const members = queries.map(() => 0);
    const passesMs: number[] = [];
    for (let pass = 0; pass <= runs; pass++) {
      const passStart = performance.now();
      for (const [index, query] of queries.entries()) {
        const start = performance.now();
        const [count] = await database.memberIds(query.sql, query.params);
        if (pass > 0) perSegment[index]?.push(performance.now() - start);
        members[index] = Number(count);
      }
      if (pass > 0) passesMs.push(performance.now() - passStart);
    }
    return {
      customers: table.liveCount,
      loadMs,
      passesMs,
      medianMs: median(passesMs),
      minMs: Math.min(...passesMs),
      maxMs: Math.max(...passesMs),
      segments: queries.map((query, index) => ({
        segmentId: query.segmentId,
        members: members[index] ?? 0,
        medianMs: median(perSegment[index] ?? []),
      })),
    };
  } finally {
    database.close();
  }
}
