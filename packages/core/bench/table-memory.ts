// Memory of the columnar customer table: bytes per row by the table's own estimate and by the
// heap (JS heap + array buffers) after a full GC, for all built-in attributes and for the
// segmentation set without the identifier strings. Prints figures; asserts nothing.
// Run: node --expose-gc --import ./packages/core/bench/register-typescript.mjs packages/core/bench/table-memory.ts [rows]
import type { AttributeSource } from '../src/attributes/index.js';
import { customerAttributes } from '../src/attributes/index.js';
import type { Customer } from '../src/model/customer.js';
import { ColumnarTable } from '../src/table/index.js';
import { sampleCustomers } from '../test/columnar-table.customers.js';

declare const process: {
  argv: string[];
  memoryUsage(): { heapUsed: number; arrayBuffers: number };
};

const collectGarbage = (globalThis as { gc?: () => void }).gc;
const identifierIds = new Set(['customer.id', 'profile.name', 'profile.phone', 'profile.idNumber']);

function usedBytes(): number {
  collectGarbage?.();
  collectGarbage?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function measure(name: string, sources: readonly AttributeSource<Customer>[], rows: number): void {
  const before = usedBytes();
  const started = Date.now();
  const table = ColumnarTable.build(sources, sampleCustomers(rows), {
    idOf: (customer) => customer.id,
    asOf: '2026-01-15',
    initialCapacity: rows,
  });
  const buildMs = Date.now() - started;
  const heapBytes = usedBytes() - before;
  const perRow = (bytes: number): string => (bytes / table.size).toFixed(1);
  console.info(
    `${name}: ${table.size} rows × ${sources.length} columns — estimate ${perRow(table.memoryBytes())} B/row ` +
      `(${(table.memoryBytes() / 1e6).toFixed(1)} MB), heap ${perRow(heapBytes)} B/row ` +
      `(${(heapBytes / 1e6).toFixed(1)} MB), built in ${buildMs} ms including row generation`,
  );
}

if (collectGarbage === undefined)
  console.warn('Run with --expose-gc for heap figures you can trust.');
const rows = Number(process.argv[2] ?? 1_000_000);
measure('all built-in attributes', customerAttributes, rows);
measure(
  'without identifier strings',
  customerAttributes.filter((source) => !identifierIds.has(source.id)),
  rows,
);
