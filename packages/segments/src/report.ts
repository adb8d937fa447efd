// Figures for reports and demos: members per segment of each strategy, and the migration matrix
// of an enum attribute (the tier) between the tables of two dates, matched by customer id.
import { ColumnarTable, type AttributeSource, type Customer, type SegmentMemberships } from '@kequn/core';
import type { MigrationMatrix } from './history.js';

/** Members per segment, in the strategy's order. */
export function countMembers(memberships: SegmentMemberships): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [segmentId, bitset] of memberships) counts[segmentId] = bitset.count();
  return counts;
}

/** Builds the customer table as of another date (e.g. six months ago) from the same sources. */
export function tableAsOf(sources: readonly AttributeSource<Customer>[], customers: Iterable<Customer>, asOf: string): ColumnarTable<Customer> {
  return ColumnarTable.build(sources, customers, { idOf: (customer) => customer.id, asOf });
}

/**
 * from-value × to-value counts of an enum attribute between two tables (customers matched by id;
 * customers missing or null on either date are left out). With the tier attribute this is the
 * tier migration matrix.
 */
export function valueMigrationMatrix(before: ColumnarTable<unknown>, after: ColumnarTable<unknown>, attributeId: string): MigrationMatrix {
  const definition = after.column(attributeId).definition;
  const values = (definition.values ?? []).map((option) => option.value);
  const position = new Map(values.map((value, index) => [value, index]));
  const counts = values.map(() => values.map(() => 0));
  for (let row = 0; row < before.size; row++) {
    if (!before.isLive(row)) continue;
    const from = position.get(String(before.value(row, attributeId)));
    const afterRow = after.indexOf(before.idAt(row));
    if (from === undefined || afterRow === undefined) continue;
    const to = position.get(String(after.value(afterRow, attributeId)));
    const line = counts[from];
    if (to === undefined || line === undefined) continue;
    line[to] = (line[to] ?? 0) + 1;
  }
  return { from: before.asOf, to: after.asOf, segmentIds: values, counts };
}

export interface SegmentReportOptions {
  /** Runs a strategy over the current table: `(id) => customerModel.evaluate(id)`. */
  evaluate(strategyId: string): Promise<SegmentMemberships>;
  /** Strategies to count, e.g. ['abcd', 'dormant']; a strategy that fails is reported with its error. */
  strategyIds: readonly string[];
  /** Tables of two dates and the enum attribute to compare, e.g. 'tier.current'. */
  migration?: { before: ColumnarTable<unknown>; after: ColumnarTable<unknown>; attributeId: string };
}

export interface SegmentReport {
  readonly counts: Readonly<Record<string, Record<string, number>>>;
  readonly failures: Readonly<Record<string, string>>;
  readonly migration: MigrationMatrix | undefined;
}

/** Counts per strategy and segment, plus an optional migration matrix — what `kequn demo` prints. */
export async function segmentReport(options: SegmentReportOptions): Promise<SegmentReport> {
  const counts: Record<string, Record<string, number>> = {};
  const failures: Record<string, string> = {};
  for (const strategyId of options.strategyIds) {
    try {
      counts[strategyId] = countMembers(await options.evaluate(strategyId));
    } catch (error) {
      failures[strategyId] = error instanceof Error ? error.message : String(error);
    }
  }
  const { migration } = options;
  return {
    counts,
    failures,
    migration: migration === undefined ? undefined : valueMigrationMatrix(migration.before, migration.after, migration.attributeId),
  };
}
