// The reading half of an import: rows are read, mapped, validated and de-duplicated, and handed on
// in batches with the rows rejected on the way. It touches no store, so it can run on a worker
// thread while the thread holding the store only writes (see read-worker.ts).
import { storedCustomerRow, type Customer, type StoredCustomerRow } from '@kequn/core';
import { compileFastCustomerRows } from './fast-customers.js';
import { importKinds, type ImportKind } from './kinds.js';
import type { ColumnMapping } from './mapping.js';
import type { RejectedRow } from './rejects.js';
import { createRowConverter } from './rows.js';
import { SeenKeys } from './seen-keys.js';
import { StoredRowPacker, type PackedStoredRows } from './stored-row-pack.js';
import { openSource, type SourceFormat } from './sources.js';

/** What to read; plain data, so that it can be handed to a worker thread. */
export interface ReadPlan {
  kind: ImportKind;
  path: string;
  mapping: ColumnMapping;
  format: SourceFormat;
  encoding: string;
  delimiter: string | undefined;
  /** Records (plus rejects) per batch. */
  batchSize: number;
}

export interface ReadBatch {
  /** Customers as the rows a store writes (encoded here, off the writing thread); other kinds as records. */
  records: unknown[];
  /** Instead of `records`, when packing was asked for: the customers' stored rows, packed to cross threads. */
  packed?: PackedStoredRows;
  /** In the order of their lines. */
  rejects: RejectedRow[];
  /** Data rows read for this batch, good or bad. */
  read: number;
  /** Of the rejects: rows whose id an earlier row had. */
  duplicates: number;
}

export interface OpenedReader {
  /** Mapped columns the source does not have. */
  missingColumns: string[];
  batches: AsyncGenerator<ReadBatch, void, undefined>;
  /** Stops reading before the batches are taken (when the import fails to start). */
  cancel(): Promise<void>;
}

/** The source column mapped to a field, for naming it in a reject line. */
function firstColumnOf(mapping: ColumnMapping, field: string): string {
  return Object.entries(mapping.columns).find(([, target]) => target === field)?.[0] ?? field;
}

export interface ReaderOptions {
  /** Customers' stored rows are packed as they are made (stored-row-pack.ts), for a worker to hand over. */
  pack?: boolean;
}

export async function openReader(plan: ReadPlan, options: ReaderOptions = {}): Promise<OpenedReader> {
  const definition = importKinds[plan.kind];
  const source = await openSource(plan.path, plan.format, plan.encoding, plan.delimiter);
  const converter = createRowConverter(definition, plan.mapping, source.header);
  const identityColumn = firstColumnOf(plan.mapping, definition.identityField);
  const encode = plan.kind === 'customers' ? (record: Record<string, unknown>): unknown => storedCustomerRow(record as unknown as Customer) : (record: Record<string, unknown>): unknown => record;
  const seen = new SeenKeys();
  // CSV customers take the fast path where it applies; every row it declines goes the general way.
  const fast = plan.kind === 'customers' && source.header !== undefined ? compileFastCustomerRows(definition, plan.mapping, source.header) : undefined;

  const packer = options.pack === true && plan.kind === 'customers' ? new StoredRowPacker(plan.batchSize) : undefined;
  const keep = (batch: ReadBatch, record: unknown): void => {
    if (packer === undefined) batch.records.push(record);
    else packer.add(record as StoredCustomerRow);
  };
  const finished = (batch: ReadBatch): ReadBatch => (packer === undefined ? batch : { ...batch, packed: packer.take() });

  async function* batches(): AsyncGenerator<ReadBatch, void, undefined> {
    let batch: ReadBatch = { records: [], rejects: [], read: 0, duplicates: 0 };
    let stored: StoredCustomerRow | undefined;
    for await (const rows of source.rows) {
      for (const row of rows) {
        batch.read += 1;
        if (row.kind === 'problem') {
          batch.rejects.push({ line: row.line, column: row.column, reason: row.reason, raw: row.raw });
        } else if (fast !== undefined && Array.isArray(row.cells) && (stored = fast(row.cells as string[])) !== undefined && seen.add(stored.id)) {
          keep(batch, stored);
        } else {
          // The general way: for a row the fast path declines or a repeated id, it also words the reject.
          const converted = converter.convert(row.cells);
          const raw = (): string => (Array.isArray(row.cells) ? row.cells.join(',') : JSON.stringify(row.cells));
          if (converted.record === undefined) {
            const columns = [...new Set(converted.problems.map((problem) => problem.column))].join('; ');
            batch.rejects.push({ line: row.line, column: columns, reason: converted.problems.map((problem) => problem.reason).join('; '), raw: raw() });
          } else {
            const key = definition.identity(converted.record);
            if (seen.add(key)) {
              keep(batch, encode(converted.record));
            } else {
              batch.duplicates += 1;
              const reason = `duplicate ${definition.noun} ${key}: an earlier row of this file has it and was kept`;
              batch.rejects.push({ line: row.line, column: identityColumn, reason, raw: raw() });
            }
          }
        }
        if (batch.records.length + (packer?.rows ?? 0) + batch.rejects.length >= plan.batchSize) {
          yield finished(batch);
          batch = { records: [], rejects: [], read: 0, duplicates: 0 };
        }
      }
    }
    if (batch.read > 0) yield finished(batch);
  }
  const cancel = async (): Promise<void> => {
    await source.rows.return(undefined);
  };
  return { missingColumns: converter.missingColumns, batches: batches(), cancel };
}
