// Imports a file into a store, streaming: rows are read, mapped, validated and written in batches,
// so memory stays flat however large the file. Good rows are upserted by id (re-running an import
// changes nothing); bad rows go to the reject file; the summary counts both.
import { stat } from 'node:fs/promises';
import type { CustomerEvent, KequnStore, Manager, Branch, StoredCustomerRow } from '@kequn/core';
import { detectEncoding, isSupportedEncoding } from './encoding.js';
import { ImportSourceError } from './errors.js';
import type { HoldingRow, ImportKind } from './kinds.js';
import { identityMapping, loadColumnMapping, parseColumnMapping, type ColumnMapping, type ColumnMappingInput } from './mapping.js';
import { availableParallelism } from 'node:os';
import { openReader, readsAsBytes, type OpenedReader, type ReadPlan } from './reading.js';
import { openRejectFile, type RejectedRow, type RejectWriter } from './rejects.js';
import { formatOf, type SourceFormat } from './sources.js';
import { openReaderOnWorker, openReaderOnWorkers } from './worker-reading.js';

export interface ImportProgress {
  read: number;
  stored: number;
  rejected: number;
  rowsPerSecond: number;
}

export interface ImportOptions {
  store: KequnStore;
  /** A mapping object, a path to a JSON/YAML mapping file, or none when headers are field paths. */
  mapping?: ColumnMappingInput | string;
  /** Where bad rows are written (CSV); without it they are only counted. */
  rejectFile?: string;
  /** `utf-8`, `gbk`, `gb18030`…; detected from the file when absent. */
  encoding?: string;
  /** Taken from the file name (`.csv`, `.jsonl`, `.parquet`) when absent. */
  format?: SourceFormat;
  delimiter?: string;
  /** Rows per write. Default 5,000. */
  batchSize?: number;
  /**
   * Read, map, validate and encode on a worker thread while this one only writes. By default a
   * CSV or JSON Lines file of 16 MB or more (~20,000 customers) is read on a worker; a smaller one
   * in-thread, where starting the worker would cost more than it saves. See the README's benchmark.
   */
  worker?: boolean;
  /**
   * Read a UTF-8 customer CSV as bytes, writing each plain row's document without making strings of
   * its cells (about three times less work a row; see the README's benchmark). Rows it does not take
   * are read as text as before, so the outcome is the same either way. Default true.
   */
  bytes?: boolean;
  /**
   * Reading threads for a UTF-8 customer CSV read as bytes on workers: each reads every n-th
   * segment of the file, and this thread still writes in the file's order. Default 2 (1 on a
   * one-core machine) for files of 64 MB or more, else 1.
   */
  readers?: number;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary {
  kind: ImportKind;
  source: string;
  format: SourceFormat;
  encoding: string;
  /** Data rows read (the header not counted). */
  read: number;
  stored: number;
  rejected: number;
  /** Of the rejected: rows whose id an earlier row of the file already had. */
  duplicates: number;
  /** Mapped columns the file does not have; their fields were left empty. */
  missingColumns: string[];
  seconds: number;
  rowsPerSecond: number;
  rejectFile: string | undefined;
}

type StoreRecords = (store: KequnStore, records: readonly unknown[], reject: (record: unknown, reason: string) => Promise<void>) => Promise<number>;

/**
 * Customers arrive as the rows a store writes, encoded by the reader. A customer file without
 * holdings keeps the holdings already stored (imported from their own file).
 */
function customerWriter(mapsHoldings: boolean): StoreRecords {
  return async (store, records) => {
    await store.customers.upsertStored(records as StoredCustomerRow[], { keepStoredHoldings: !mapsHoldings });
    return records.length;
  };
}

/** Holdings are merged into their customers, keyed by product and opening date. */
const holdingWriter: StoreRecords = async (store, records, reject) => {
  const rows = records as unknown as HoldingRow[];
  const customers = await store.customers.getMany([...new Set(rows.map((row) => row.customerId))]);
  const byId = new Map(customers.map((customer) => [customer.id, customer]));
  let stored = 0;
  for (const row of rows) {
    const customer = byId.get(row.customerId);
    if (customer === undefined) {
      await reject(row, `customer ${row.customerId} is not in the store; import customers before their holdings`);
      continue;
    }
    const { customerId: _customerId, ...holding } = row;
    const others = customer.holdings.filter((held) => held.productId !== holding.productId || held.openedAt !== holding.openedAt);
    customer.holdings = [...others, holding];
    stored += 1;
  }
  await store.customers.upsert([...byId.values()]);
  return stored;
};

const writers: Readonly<Record<ImportKind, (mapping: ColumnMapping) => StoreRecords>> = {
  customers: (mapping) => customerWriter(Object.values(mapping.columns).includes('holdings')),
  holdings: () => holdingWriter,
  events: () => async (store, records) => {
    await store.events.upsert(records as unknown as CustomerEvent[]);
    return records.length;
  },
  managers: () => async (store, records) => {
    await store.managers.upsert(records as unknown as Manager[]);
    return records.length;
  },
  branches: () => async (store, records) => {
    await store.branches.upsert(records as unknown as Branch[]);
    return records.length;
  },
};

async function resolveMapping(kind: ImportKind, mapping: ImportOptions['mapping']): Promise<ColumnMapping> {
  if (mapping === undefined) return identityMapping(kind);
  if (typeof mapping === 'string') return loadColumnMapping(mapping, kind);
  return parseColumnMapping(mapping, kind);
}

async function resolveEncoding(path: string, format: SourceFormat, requested: string | undefined): Promise<string> {
  if (format === 'parquet') return 'binary';
  if (requested === undefined) {
    try {
      return await detectEncoding(path);
    } catch (error) {
      throw new ImportSourceError(path, error instanceof Error ? error.message : String(error), error);
    }
  }
  if (!isSupportedEncoding(requested)) throw new ImportSourceError(path, `"${requested}" is not an encoding Kequn knows; use utf-8, gbk or gb18030`);
  return requested;
}

/** From this size a text file is read on a worker thread unless the caller says otherwise. */
const WORKER_FROM_BYTES = 16 * 1024 * 1024;
/** From this size a file read as bytes is read by several threads unless the caller says otherwise. */
const READERS_FROM_BYTES = 64 * 1024 * 1024;

async function sizeOf(path: string, format: SourceFormat): Promise<number> {
  if (format === 'parquet') return 0;
  try {
    return (await stat(path)).size;
  } catch {
    // A file that cannot be read is reported by the reader, in-thread, with its reason.
    return 0;
  }
}

/** Reads the file in-thread, on one worker, or on several, as the options and its size say. */
async function openPlannedReader(plan: ReadPlan, options: ImportOptions): Promise<OpenedReader> {
  const size = await sizeOf(plan.path, plan.format);
  if (!(options.worker ?? size >= WORKER_FROM_BYTES)) return openReader(plan);
  const readers = options.readers ?? (size >= READERS_FROM_BYTES ? Math.min(2, availableParallelism()) : 1);
  if (readers > 1 && readsAsBytes(plan)) {
    const segmented = await openReaderOnWorkers(plan, readers);
    if (segmented !== undefined) return segmented;
  }
  return openReaderOnWorker(plan);
}

/** Imports one file of the given kind. Throws only when the file or mapping is unusable as a whole. */
export async function importFile(kind: ImportKind, path: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const mapping = await resolveMapping(kind, options.mapping);
  const format = options.format ?? formatOf(path);
  const encoding = await resolveEncoding(path, format, options.encoding ?? mapping.encoding);
  const plan: ReadPlan = { kind, path, mapping, format, encoding, delimiter: options.delimiter, batchSize: options.batchSize ?? 5_000, bytes: options.bytes ?? true };
  const reader = await openPlannedReader(plan, options);
  const write = writers[kind](mapping);
  let rejects: RejectWriter;
  try {
    rejects = await openRejectFile(options.rejectFile);
  } catch (error) {
    await reader.cancel();
    throw error;
  }
  const counts = { read: 0, stored: 0, rejected: 0, duplicates: 0 };

  const progress = (): ImportProgress => {
    const seconds = (performance.now() - started) / 1000;
    return { read: counts.read, stored: counts.stored, rejected: counts.rejected, rowsPerSecond: Math.round(counts.read / Math.max(seconds, 0.001)) };
  };
  const reject = async (row: RejectedRow): Promise<void> => {
    counts.rejected += 1;
    await rejects.write(row);
  };

  try {
    for await (const batch of reader.batches) {
      counts.read += batch.read;
      counts.duplicates += batch.duplicates;
      for (const row of batch.rejects) await reject(row);
      if (batch.records.length > 0) {
        counts.stored += await write(options.store, batch.records, (record, reason) => reject({ line: 0, column: '(store)', reason, raw: JSON.stringify(record) }));
      }
      options.onProgress?.(progress());
    }
  } finally {
    await rejects.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    kind,
    source: path,
    format,
    encoding,
    ...counts,
    missingColumns: reader.missingColumns,
    seconds,
    rowsPerSecond: Math.round(counts.read / Math.max(seconds, 0.001)),
    rejectFile: options.rejectFile,
  };
}

export const importCustomers = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('customers', path, options);
export const importHoldings = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('holdings', path, options);
export const importEvents = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('events', path, options);
export const importManagers = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('managers', path, options);
export const importBranches = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('branches', path, options);
