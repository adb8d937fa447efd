// Imports a file into a store, streaming: rows are read, mapped, validated and written in batches,
// so memory stays flat however large the file. Good rows are upserted by id (re-running an import
// changes nothing); bad rows go to the reject file; the summary counts both.
import type { Customer, CustomerEvent, KequnStore, Manager, Branch } from '@kequn/core';
import { detectEncoding, isSupportedEncoding } from './encoding.js';
import { ImportSourceError } from './errors.js';
import { importKinds, type HoldingRow, type ImportKind } from './kinds.js';
import { identityMapping, loadColumnMapping, parseColumnMapping, type ColumnMapping, type ColumnMappingInput } from './mapping.js';
import { openRejectFile, type RejectWriter } from './rejects.js';
import { createRowConverter } from './rows.js';
import { SeenKeys } from './seen-keys.js';
import { formatOf, openSource, type SourceFormat } from './sources.js';

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

type StoreRecords = (store: KequnStore, records: Record<string, unknown>[], reject: (record: Record<string, unknown>, reason: string) => Promise<void>) => Promise<number>;

/** A customer file without holdings keeps the holdings already stored (imported from their own file). */
function customerWriter(mapsHoldings: boolean): StoreRecords {
  return async (store, records) => {
    const customers = records as unknown as Customer[];
    if (!mapsHoldings) {
      const existing = await store.customers.getMany(customers.map((customer) => customer.id));
      const holdingsById = new Map(existing.map((customer) => [customer.id, customer.holdings]));
      for (const customer of customers) customer.holdings = holdingsById.get(customer.id) ?? customer.holdings;
    }
    await store.customers.upsert(customers);
    return customers.length;
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

/** Imports one file of the given kind. Throws only when the file or mapping is unusable as a whole. */
export async function importFile(kind: ImportKind, path: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const definition = importKinds[kind];
  const mapping = await resolveMapping(kind, options.mapping);
  const format = options.format ?? formatOf(path);
  const encoding = await resolveEncoding(path, format, options.encoding ?? mapping.encoding);
  const source = await openSource(path, format, encoding, options.delimiter);
  const converter = createRowConverter(definition, mapping, source.header);
  const write = writers[kind](mapping);
  const batchSize = options.batchSize ?? 5_000;
  const rejects: RejectWriter = await openRejectFile(options.rejectFile);
  const seen = new SeenKeys();
  const counts = { read: 0, stored: 0, rejected: 0, duplicates: 0 };
  let batch: Record<string, unknown>[] = [];

  const progress = (): ImportProgress => {
    const seconds = (performance.now() - started) / 1000;
    return { read: counts.read, stored: counts.stored, rejected: counts.rejected, rowsPerSecond: Math.round(counts.read / Math.max(seconds, 0.001)) };
  };
  const reject = async (line: number, column: string, reason: string, raw: string): Promise<void> => {
    counts.rejected += 1;
    await rejects.write({ line, column, reason, raw });
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const written = batch;
    batch = [];
    counts.stored += await write(options.store, written, (record, reason) => reject(0, '(store)', reason, JSON.stringify(record)));
    options.onProgress?.(progress());
  };

  try {
    for await (const rows of source.rows) {
      for (const row of rows) {
        counts.read += 1;
        if (row.kind === 'problem') {
          await reject(row.line, row.column, row.reason, row.raw);
          continue;
        }
        const converted = converter.convert(row.cells);
        const raw = (): string => (Array.isArray(row.cells) ? row.cells.join(',') : JSON.stringify(row.cells));
        if (converted.record === undefined) {
          const columns = [...new Set(converted.problems.map((problem) => problem.column))].join('; ');
          await reject(row.line, columns, converted.problems.map((problem) => problem.reason).join('; '), raw());
          continue;
        }
        const key = definition.identity(converted.record);
        if (!seen.add(key)) {
          counts.duplicates += 1;
          await reject(row.line, firstColumnOf(mapping, definition.identityField), `duplicate ${definition.noun} ${key}: an earlier row of this file has it and was kept`, raw());
          continue;
        }
        batch.push(converted.record);
        if (batch.length >= batchSize) await flush();
      }
    }
    await flush();
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
    missingColumns: converter.missingColumns,
    seconds,
    rowsPerSecond: Math.round(counts.read / Math.max(seconds, 0.001)),
    rejectFile: options.rejectFile,
  };
}

/** The source column mapped to a field, for naming it in a reject line. */
function firstColumnOf(mapping: ColumnMapping, field: string): string {
  return Object.entries(mapping.columns).find(([, target]) => target === field)?.[0] ?? field;
}

export const importCustomers = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('customers', path, options);
export const importHoldings = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('holdings', path, options);
export const importEvents = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('events', path, options);
export const importManagers = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('managers', path, options);
export const importBranches = (path: string, options: ImportOptions): Promise<ImportSummary> => importFile('branches', path, options);
