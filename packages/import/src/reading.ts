// The reading half of an import: rows are read, mapped, validated and de-duplicated, and handed on
// in batches with the rows rejected on the way. It touches no store, so it can run on a worker
// thread while the thread holding the store only writes (see read-worker.ts).
import { storedCustomerRow, type Customer } from '@kequn/core';
import { importKinds, type ImportKind } from './kinds.js';
import type { ColumnMapping } from './mapping.js';
import type { RejectedRow } from './rejects.js';
import { createRowConverter } from './rows.js';
import { SeenKeys } from './seen-keys.js';
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

export async function openReader(plan: ReadPlan): Promise<OpenedReader> {
  const definition = importKinds[plan.kind];
  const source = await openSource(plan.path, plan.format, plan.encoding, plan.delimiter);
  const converter = createRowConverter(definition, plan.mapping, source.header);
  const identityColumn = firstColumnOf(plan.mapping, definition.identityField);
  const encode = plan.kind === 'customers' ? (record: Record<string, unknown>): unknown => storedCustomerRow(record as unknown as Customer) : (record: Record<string, unknown>): unknown => record;
  const seen = new SeenKeys();

  async function* batches(): AsyncGenerator<ReadBatch, void, undefined> {
    let batch: ReadBatch = { records: [], rejects: [], read: 0, duplicates: 0 };
    for await (const rows of source.rows) {
      for (const row of rows) {
        batch.read += 1;
        if (row.kind === 'problem') {
          batch.rejects.push({ line: row.line, column: row.column, reason: row.reason, raw: row.raw });
        } else {
          const converted = converter.convert(row.cells);
          const raw = (): string => (Array.isArray(row.cells) ? row.cells.join(',') : JSON.stringify(row.cells));
          if (converted.record === undefined) {
            const columns = [...new Set(converted.problems.map((problem) => problem.column))].join('; ');
            batch.rejects.push({ line: row.line, column: columns, reason: converted.problems.map((problem) => problem.reason).join('; '), raw: raw() });
          } else {
            const key = definition.identity(converted.record);
            if (seen.add(key)) {
              batch.records.push(encode(converted.record));
            } else {
              batch.duplicates += 1;
              const reason = `duplicate ${definition.noun} ${key}: an earlier row of this file has it and was kept`;
              batch.rejects.push({ line: row.line, column: identityColumn, reason, raw: raw() });
            }
          }
        }
        if (batch.records.length + batch.rejects.length >= plan.batchSize) {
          yield batch;
          batch = { records: [], rejects: [], read: 0, duplicates: 0 };
        }
      }
    }
    if (batch.read > 0) yield batch;
  }
  const cancel = async (): Promise<void> => {
    await source.rows.return(undefined);
  };
  return { missingColumns: converter.missingColumns, batches: batches(), cancel };
}
