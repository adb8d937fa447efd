// The reading half of an import: rows are read, mapped, validated and de-duplicated, and handed on
// in batches with the rows rejected on the way. It touches no store, so it can run on a worker
// thread while the thread holding the store only writes (see read-worker.ts).
import { storedCustomerRow, type Customer, type StoredCustomerRow } from '@kequn/core';
import { ByteOut } from './byte-cells.js';
import { ByteRowColumns, compileByteCustomerRows, type ByteCustomerRows } from './byte-customers.js';
import { CsvByteReader, isByteDelimiter, type ByteChunk, type ByteReaderOptions } from './csv-bytes.js';
import type { CsvItem } from './csv-records.js';
import { ImportSourceError } from './errors.js';
import { compileFastCustomerRows, type FastCustomerRows } from './fast-customers.js';
import { importKinds, type ImportKind } from './kinds.js';
import type { ColumnMapping } from './mapping.js';
import type { RejectedRow } from './rejects.js';
import { createRowConverter, type RowConverter } from './rows.js';
import { SeenKeys } from './seen-keys.js';
import { StoredRowPacker, type PackedStoredRows } from './stored-row-pack.js';
import { judgeCsvItem, openSource, type SourceFormat, type SourceProblem, type SourceRow } from './sources.js';

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
  /** Whether a UTF-8 customer CSV is read as bytes (csv-bytes.ts); false reads it as text. Default true. */
  bytes?: boolean;
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
  /**
   * From a segment read without de-duplication (several reading threads): for each record kept, in
   * order, its line and the file offsets of its first and past its last byte, so that the thread
   * that sees every segment can find repeated ids and word their rejects.
   */
  origins?: Float64Array;
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
  /** False for a segment (one of several reading threads): ids are de-duplicated by whoever sees them all. Default true. */
  dedupe?: boolean;
  /** The ids already kept, shared with earlier readers of the same file. */
  seen?: SeenKeys;
}

/**
 * Where rows end up: the per-row work both readers share. A row is taken by the fast path where it
 * applies, else converted the general way (which also words every reject); a batch is full at
 * `batchSize` rows and rejects.
 */
export class BatchBuilder {
  batch: ReadBatch = { records: [], rejects: [], read: 0, duplicates: 0 };
  readonly seen: SeenKeys;
  readonly #dedupe: boolean;
  /** Line, start and end of each record kept (segments only). */
  #origins: number[] = [];
  readonly #plan: ReadPlan;
  readonly #definition: (typeof importKinds)[ImportKind];
  readonly #converter: RowConverter;
  readonly #identityColumn: string;
  readonly #fast: FastCustomerRows | undefined;
  readonly #packer: StoredRowPacker | undefined;
  readonly #encode: (record: Record<string, unknown>) => unknown;
  /** Where documents are written when they are not packed. */
  readonly #documentOut = new ByteOut();

  constructor(plan: ReadPlan, options: ReaderOptions, converter: RowConverter, header: readonly string[] | undefined) {
    this.#plan = plan;
    this.#definition = importKinds[plan.kind];
    this.#converter = converter;
    this.#identityColumn = firstColumnOf(plan.mapping, this.#definition.identityField);
    this.#encode = plan.kind === 'customers' ? (record) => storedCustomerRow(record as unknown as Customer) : (record) => record;
    // CSV customers take the fast path where it applies; every row it declines goes the general way.
    this.#fast = plan.kind === 'customers' && header !== undefined ? compileFastCustomerRows(this.#definition, plan.mapping, header) : undefined;
    this.#packer = options.pack === true && plan.kind === 'customers' ? new StoredRowPacker(plan.batchSize) : undefined;
    this.seen = options.seen ?? new SeenKeys();
    this.#dedupe = options.dedupe ?? true;
  }

  /** Whether a kept row's id is new: always, for a segment, whose ids are checked where all are seen. */
  isNew(key: string): boolean {
    return !this.#dedupe || this.seen.add(key);
  }

  /** `isNew` for a row the byte path wrote, making a string of its id only where ids are checked. */
  isNewRow(columns: ByteRowColumns): boolean {
    return !this.#dedupe || this.seen.add(columns.text(0) as string);
  }

  /** Where the record just kept came from (segments only). */
  #origin(line: number, start: number, end: number): void {
    if (!this.#dedupe) this.#origins.push(line, start, end);
  }

  get full(): boolean {
    return this.batch.records.length + (this.#packer?.rows ?? 0) + this.batch.rejects.length >= this.#plan.batchSize;
  }

  /** The batch so far, handed out; a new one starts. */
  take(): ReadBatch {
    const batch = this.#packer === undefined ? this.batch : { ...this.batch, packed: this.#packer.take() };
    if (!this.#dedupe) {
      batch.origins = Float64Array.from(this.#origins);
      this.#origins = [];
    }
    this.batch = { records: [], rejects: [], read: 0, duplicates: 0 };
    return batch;
  }

  keep(record: unknown): void {
    if (this.#packer === undefined) this.batch.records.push(record);
    else this.#packer.add(record as StoredCustomerRow);
  }

  /** Where the byte path is to write the next document: the packer's buffer, or a buffer of this reader's own. */
  get documentOut(): ByteOut {
    return this.#packer?.documentOut ?? this.#documentOut;
  }

  /**
   * Keeps the customer the byte path wrote to `documentOut` from `start` on, with its columns;
   * `line`, `recordStart` and `recordEnd` say where its record is in the file.
   */
  keepWritten(start: number, columns: ByteRowColumns, line: number, recordStart: number, recordEnd: number): void {
    this.#origin(line, recordStart, recordEnd);
    if (this.#packer !== undefined) {
      this.#packer.commitDocument(start, columns);
      return;
    }
    const out = this.#documentOut;
    const document = new Uint8Array(out.bytes.subarray(start, out.at));
    out.at = 0;
    this.batch.records.push({ id: columns.text(0) as string, branchId: columns.text(1) as string, managerId: columns.text(2), document } satisfies StoredCustomerRow);
  }

  /**
   * One row read (counted by the caller), or the problem found instead; `recordStart` and
   * `recordEnd` are its record's file offsets, where known (a segment's).
   */
  row(row: SourceRow | SourceProblem, recordStart = -1, recordEnd = -1): void {
    const batch = this.batch;
    let stored: StoredCustomerRow | undefined;
    if (row.kind === 'problem') {
      batch.rejects.push({ line: row.line, column: row.column, reason: row.reason, raw: row.raw });
    } else if (this.#fast !== undefined && Array.isArray(row.cells) && (stored = this.#fast(row.cells as string[])) !== undefined && this.isNew(stored.id)) {
      this.#origin(row.line, recordStart, recordEnd);
      this.keep(stored);
    } else {
      // The general way: for a row the fast path declines or a repeated id, it also words the reject.
      const converted = this.#converter.convert(row.cells);
      const raw = (): string => (Array.isArray(row.cells) ? row.cells.join(',') : JSON.stringify(row.cells));
      if (converted.record === undefined) {
        const columns = [...new Set(converted.problems.map((problem) => problem.column))].join('; ');
        batch.rejects.push({ line: row.line, column: columns, reason: converted.problems.map((problem) => problem.reason).join('; '), raw: raw() });
      } else {
        const key = this.#definition.identity(converted.record);
        if (this.isNew(key)) {
          this.#origin(row.line, recordStart, recordEnd);
          this.keep(this.#encode(converted.record));
        } else {
          batch.duplicates += 1;
          const reason = `duplicate ${this.#definition.noun} ${key}: an earlier row of this file has it and was kept`;
          batch.rejects.push({ line: row.line, column: this.#identityColumn, reason, raw: raw() });
        }
      }
    }
  }
}

const isUtf8Encoding = (encoding: string): boolean => /^utf-?8$/i.test(encoding);

/** Whether a plan's file can be read as bytes: a UTF-8 customer CSV with a one-byte delimiter. */
export function readsAsBytes(plan: ReadPlan): boolean {
  return plan.bytes !== false && plan.kind === 'customers' && plan.format === 'csv' && isUtf8Encoding(plan.encoding) && isByteDelimiter(plan.delimiter ?? ',');
}

async function openByteSource(plan: ReadPlan, options: ByteReaderOptions): Promise<CsvByteReader> {
  try {
    return await CsvByteReader.open(plan.path, plan.delimiter ?? ',', options);
  } catch (error) {
    throw new ImportSourceError(plan.path, error instanceof Error ? error.message : String(error), error);
  }
}

/** The header of a CSV read as bytes: its first record, which csv-bytes.ts always hands over as text. */
export async function readByteHeader(plan: ReadPlan, reader: CsvByteReader): Promise<{ header: string[]; first: ByteChunk }> {
  let first: ByteChunk | undefined;
  try {
    while (first === undefined || first.from >= first.length) {
      first = await reader.next();
      if (first === undefined) throw new ImportSourceError(plan.path, 'the file is empty: expected a header line and rows');
    }
  } catch (error) {
    await reader.close().catch(() => undefined);
    if (error instanceof ImportSourceError) throw error;
    throw new ImportSourceError(plan.path, error instanceof Error ? error.message : String(error), error);
  }
  const headerItem = first.items[first.entries[first.from + 1] as number] as CsvItem;
  if (headerItem.kind === 'problem') {
    await reader.close().catch(() => undefined);
    throw new ImportSourceError(plan.path, `its header cannot be read (${headerItem.reason})`);
  }
  first.from += 4;
  return { header: headerItem.fields.map((column) => column.trim()), first };
}

/** Reads the records of a byte reader into batches; `first` is a chunk already taken from it. */
async function* byteBatches(
  plan: ReadPlan,
  reader: CsvByteReader,
  first: ByteChunk | undefined,
  header: readonly string[],
  transcode: ByteCustomerRows,
  builder: BatchBuilder,
): AsyncGenerator<ReadBatch, void, undefined> {
  const columns = new ByteRowColumns();
  const width = header.length;
  /** A record's cells as strings, for every row the byte path does not take. */
  const cellsOf = (chunk: ByteChunk, at: number, count: number): string[] => {
    const cells: string[] = new Array(count);
    for (let index = 0; index < count; index++) cells[index] = chunk.bytes.toString('utf8', chunk.entries[at + 2 * index] as number, chunk.entries[at + 2 * index + 1] as number);
    return cells;
  };
  let chunk: ByteChunk | undefined = first ?? (await reader.next());
  try {
    for (; chunk !== undefined; chunk = await reader.next()) {
      const { entries, bytes, base } = chunk;
      let at = chunk.from;
      while (at < chunk.length) {
        const line = entries[at] as number;
        const recordStart = entries[at + 2] as number;
        const recordEnd = entries[at + 3] as number;
        builder.batch.read += 1;
        if (line === 0) {
          // A record read as text (or a problem with one): any value holding U+FFFD is undecodable.
          const item = chunk.items[entries[at + 1] as number] as CsvItem;
          builder.row(judgeCsvItem(item, header, plan.encoding, true), recordStart === -1 ? -1 : base + recordStart, recordStart === -1 ? -1 : base + recordEnd);
          at += 4;
        } else {
          const count = entries[at + 1] as number;
          const cells = at + 4;
          at = cells + 2 * count;
          const out = builder.documentOut;
          const start = out.at;
          if (count === width && transcode(bytes, entries, cells, out, columns) && builder.isNewRow(columns)) {
            builder.keepWritten(start, columns, line, base + recordStart, base + recordEnd);
          } else {
            out.at = start;
            builder.row(judgeCsvItem({ kind: 'record', line, fields: cellsOf(chunk, cells, count) }, header, plan.encoding, false), base + recordStart, base + recordEnd);
          }
        }
        if (builder.full) yield builder.take();
      }
    }
    if (builder.batch.read > 0) yield builder.take();
  } finally {
    await reader.close().catch(() => undefined);
  }
}

/**
 * A UTF-8 customer CSV read as bytes (csv-bytes.ts, byte-customers.ts), or undefined where that
 * does not apply (another kind, format, encoding or delimiter, or a mapping the fast path cannot
 * plan): then it is read as text.
 */
async function openByteReader(plan: ReadPlan, options: ReaderOptions): Promise<OpenedReader | undefined> {
  if (!readsAsBytes(plan)) return undefined;
  const reader = await openByteSource(plan, {});
  const { header, first } = await readByteHeader(plan, reader);
  const definition = importKinds[plan.kind];
  const transcode = compileByteCustomerRows(definition, plan.mapping, header);
  if (transcode === undefined) {
    await reader.close().catch(() => undefined);
    return undefined;
  }
  const converter = createRowConverter(definition, plan.mapping, header);
  const builder = new BatchBuilder(plan, options, converter, header);
  const cancel = async (): Promise<void> => {
    await reader.close().catch(() => undefined);
  };
  return { missingColumns: converter.missingColumns, batches: byteBatches(plan, reader, first, header, transcode, builder), cancel };
}

/** Part of a file read by one of several reading threads: the records that start in `start`…`stop`. */
export interface ReadSegment {
  start: number;
  stop: number;
  /** The line `start` is on; a later segment counts from 1 and is put right by whoever sees all. */
  line: number;
  /** The file's header, for a segment after the first (the first reads it). */
  header: readonly string[] | undefined;
}

export interface SegmentReader {
  batches: AsyncGenerator<ReadBatch, void, undefined>;
  /** Once the batches are done: where the segment ended, the line it ended on, and where text reading must take over, if it must. */
  ended(): { end: number; line: number; textFrom: number | undefined };
}

/**
 * What a reading thread compiles once for all its segments: the byte path, the fast path and the
 * converter, with their remembered cells, and the batches (emptied at each segment's end). Made
 * again per segment, each segment's first thousands of rows ran cold (empty memos, closures whose
 * call sites V8 had not seen), which cost ~20% more CPU a row over the file.
 */
export interface SegmentContext {
  header: readonly string[];
  transcode: ByteCustomerRows;
  builder: BatchBuilder;
}

/** The context for reading segments of a file with this header, or undefined where the mapping cannot be read as bytes. */
export function segmentContext(plan: ReadPlan, header: readonly string[], options: ReaderOptions = {}): SegmentContext | undefined {
  const definition = importKinds[plan.kind];
  const transcode = compileByteCustomerRows(definition, plan.mapping, header);
  if (transcode === undefined) return undefined;
  const builder = new BatchBuilder(plan, { ...options, dedupe: false }, createRowConverter(definition, plan.mapping, header), header);
  return { header, transcode, builder };
}

/**
 * Reads one segment of a UTF-8 customer CSV as bytes, without de-duplicating ids (see ReadBatch's
 * `origins`). It stops at the first bytes that are not valid UTF-8, leaving the rest of the file to
 * one reader. The first segment (the one whose `header` is undefined) reads past the header.
 */
export async function openSegmentReader(plan: ReadPlan, segment: ReadSegment, context: SegmentContext): Promise<SegmentReader> {
  const headerRead = segment.header !== undefined;
  const reader = await openByteSource(plan, { start: segment.start, stop: segment.stop, line: segment.line, headerRead, textFallback: false });
  let first: ByteChunk | undefined;
  if (!headerRead) ({ first } = await readByteHeader(plan, reader));
  return {
    batches: byteBatches(plan, reader, first, context.header, context.transcode, context.builder),
    ended: () => ({ end: reader.end, line: reader.line, textFrom: reader.textFrom }),
  };
}

/** Reads the rest of a byte-readable file from a record boundary, on this thread, de-duplicating against `seen`. */
export async function openRestReader(plan: ReadPlan, start: number, line: number, header: readonly string[], seen: SeenKeys): Promise<AsyncGenerator<ReadBatch, void, undefined>> {
  const reader = await openByteSource(plan, { start, line, headerRead: true });
  const definition = importKinds[plan.kind];
  const transcode = compileByteCustomerRows(definition, plan.mapping, header);
  if (transcode === undefined) throw new Error(`The mapping of ${plan.path} cannot be read as bytes, though its first segment was`);
  const builder = new BatchBuilder(plan, { seen }, createRowConverter(definition, plan.mapping, header), header);
  return byteBatches(plan, reader, undefined, header, transcode, builder);
}

export async function openReader(plan: ReadPlan, options: ReaderOptions = {}): Promise<OpenedReader> {
  const bytes = await openByteReader(plan, options);
  if (bytes !== undefined) return bytes;
  const source = await openSource(plan.path, plan.format, plan.encoding, plan.delimiter);
  const converter = createRowConverter(importKinds[plan.kind], plan.mapping, source.header);
  const builder = new BatchBuilder(plan, options, converter, source.header);

  async function* batches(): AsyncGenerator<ReadBatch, void, undefined> {
    for await (const rows of source.rows) {
      for (const row of rows) {
        builder.batch.read += 1;
        builder.row(row);
        if (builder.full) yield builder.take();
      }
    }
    if (builder.batch.read > 0) yield builder.take();
  }
  const cancel = async (): Promise<void> => {
    await source.rows.return(undefined);
  };
  return { missingColumns: converter.missingColumns, batches: batches(), cancel };
}
