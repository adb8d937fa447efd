// Runs the reading half of an import on worker threads and hands its batches to the writing thread
// as an async generator: parsing, mapping, validating and encoding (most of an import's work) then
// run beside the store's writes instead of before them. A large UTF-8 customer CSV is read by
// several threads at once, each taking every n-th segment of the file (openReaderOnWorkers).
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { StoredCustomerRow } from '@kequn/core';
import { compileByteCustomerRows } from './byte-customers.js';
import { CsvByteReader } from './csv-bytes.js';
import { CsvRecordSplitter } from './csv-records.js';
import { ImportSourceError } from './errors.js';
import { importKinds } from './kinds.js';
import { openRestReader, readByteHeader, type OpenedReader, type ReadBatch, type ReadPlan } from './reading.js';
import type { RejectedRow } from './rejects.js';
import { createRowConverter } from './rows.js';
import { SeenKeys } from './seen-keys.js';
import { unpackStoredRows } from './stored-row-pack.js';

/** A batch as the writing thread takes it: customers packed by the worker become stored rows here. */
export function unpackBatch(batch: ReadBatch): ReadBatch {
  if (batch.packed === undefined) return batch;
  return { records: unpackStoredRows(batch.packed), rejects: batch.rejects, read: batch.read, duplicates: batch.duplicates };
}

/** A segment a worker is to read: the records that start in `start`…`stop` of the file. */
export interface SegmentWork {
  index: number;
  start: number;
  stop: number;
}

export type ReaderMessage =
  | { type: 'opened'; missingColumns: string[] }
  | { type: 'batch'; batch: ReadBatch; segment: number | undefined }
  | { type: 'segment'; segment: number; end: number; line: number; textFrom: number | undefined }
  | { type: 'done' }
  | { type: 'failed'; code: string | undefined; message: string; reason: string | undefined };

export type WriterMessage = { type: 'ack' };

/**
 * Built, the worker is the `.js` beside this file. Run from the sources (tests, benches), it is a
 * `.ts` file: a worker does not take over the loader its parent registered with `--import tsx`
 * (Node 20), so a bootstrap registers tsx in the worker before importing it.
 */
/**
 * The worker makes garbage fast (cells, strings, the rows' JSON), almost all of it dead by the next
 * collection: a young generation larger than V8's default collects it less often for the same work.
 */
const resourceLimits = { maxYoungGenerationSizeMb: 64 };

function startWorker(workerData: { plan: ReadPlan; segments?: SegmentWork[]; header?: readonly string[] }): Worker {
  // `--input-type` (a parent run with `node -e`) is refused by a worker whose code is a file.
  const inherited = process.execArgv.filter((option) => !option.startsWith('--input-type'));
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./read-worker.js', import.meta.url), { workerData, execArgv: inherited, resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./read-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  const condition = inherited.some((option) => option.includes('@kequn/source')) ? [] : ['--conditions=@kequn/source'];
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [...inherited, ...condition], resourceLimits });
}

function failure(plan: ReadPlan, message: Extract<ReaderMessage, { type: 'failed' }>): Error {
  if (message.code === 'KQ_IMPORT_SOURCE_UNREADABLE') return new ImportSourceError(plan.path, message.reason ?? message.message);
  return new Error(`The import's reading thread failed on ${plan.path}: ${message.message}`);
}

/** A worker's messages, taken in order. */
class ReaderChannel {
  readonly worker: Worker;
  readonly #queue: ReaderMessage[] = [];
  #waiting: ((message: ReaderMessage) => void) | undefined;

  constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (message: ReaderMessage) => this.#deliver(message));
    worker.on('error', (error) => this.#deliver({ type: 'failed', code: undefined, message: error.message, reason: undefined }));
    worker.on('exit', (code) => this.#deliver({ type: 'failed', code: undefined, message: `it exited with code ${code}`, reason: undefined }));
  }

  #deliver(message: ReaderMessage): void {
    const waiting = this.#waiting;
    if (waiting === undefined) {
      this.#queue.push(message);
      return;
    }
    this.#waiting = undefined;
    waiting(message);
  }

  next(): Promise<ReaderMessage> {
    const queued = this.#queue.shift();
    return queued === undefined ? new Promise((resolve) => (this.#waiting = resolve)) : Promise.resolve(queued);
  }

  ack(): void {
    this.worker.postMessage({ type: 'ack' } satisfies WriterMessage);
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

async function opened(plan: ReadPlan, channels: readonly ReaderChannel[]): Promise<string[]> {
  let missingColumns: string[] = [];
  for (const channel of channels) {
    const message = await channel.next();
    if (message.type === 'opened') {
      if (missingColumns.length === 0) missingColumns = message.missingColumns;
      continue;
    }
    await Promise.all(channels.map((each) => each.stop()));
    throw message.type === 'failed' ? failure(plan, message) : new Error(`The import's reading thread sent ${message.type} before opening ${plan.path}`);
  }
  return missingColumns;
}

/** Like `openReader`, on a worker thread. Ending the batches early (a failed write) stops the worker. */
export async function openReaderOnWorker(plan: ReadPlan): Promise<OpenedReader> {
  const channel = new ReaderChannel(startWorker({ plan }));
  const missingColumns = await opened(plan, [channel]);
  async function* batches(): AsyncGenerator<ReadBatch, void, undefined> {
    try {
      for (;;) {
        const message = await channel.next();
        if (message.type === 'done') return;
        if (message.type === 'failed') throw failure(plan, message);
        if (message.type !== 'batch') continue;
        yield unpackBatch(message.batch);
        channel.ack();
      }
    } finally {
      await channel.stop();
    }
  }
  return { missingColumns, batches: batches(), cancel: () => channel.stop() };
}

/**
 * The file is cut into segments of about this many bytes, each read by one thread; the writing
 * thread takes them in order. Small enough that the threads stay busy side by side while the writer
 * waits on none for long, large enough that a segment is thousands of records.
 */
export const SEGMENT_BYTES = 8 << 20;

/**
 * Where segments start: the file's start, then just after the first line feed at or after each
 * multiple of `segmentBytes`. A line feed inside a quoted value makes a wrong start; the writing
 * thread finds that out (the segment before ends elsewhere) and reads on from there itself.
 */
async function segmentStarts(path: string, size: number, segmentBytes: number): Promise<number[]> {
  const starts = [0];
  const file = await open(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(64 * 1024);
    for (let target = segmentBytes; target < size; target += segmentBytes) {
      let at = Math.max(target - 1, (starts[starts.length - 1] as number) + 1);
      let start = -1;
      while (start === -1 && at < size) {
        const { bytesRead } = await file.read(probe, 0, probe.length, at);
        if (bytesRead === 0) break;
        const lineFeed = probe.subarray(0, bytesRead).indexOf(0x0a);
        if (lineFeed === -1) at += bytesRead;
        else start = at + lineFeed + 1;
      }
      if (start === -1 || start >= size) break;
      if (start > (starts[starts.length - 1] as number)) starts.push(start);
    }
  } finally {
    await file.close();
  }
  return starts;
}

/** Whether the file's first lines (its header) are valid UTF-8. */
async function headIsUtf8(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.allocUnsafe(64 * 1024);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const lastLineFeed = head.subarray(0, bytesRead).lastIndexOf(0x0a);
    return isUtf8(head.subarray(0, lastLineFeed === -1 ? bytesRead : lastLineFeed + 1));
  } finally {
    await file.close();
  }
}

/**
 * Reads records back from the file, for the reject lines of repeated ids: each record's values
 * joined by commas, as a reject file shows a row. The file is opened at the first and kept open.
 */
class RawRecords {
  readonly #path: string;
  readonly #splitter: CsvRecordSplitter;
  #file: number | undefined;

  constructor(path: string, delimiter: string) {
    this.#path = path;
    this.#splitter = new CsvRecordSplitter(delimiter, { atStart: false });
  }

  read(start: number, end: number): string {
    this.#file ??= openSync(this.#path, 'r');
    const bytes = Buffer.allocUnsafe(end - start);
    readSync(this.#file, bytes, 0, bytes.length, start);
    const text = bytes.toString('utf8');
    const step = this.#splitter.readOne(text, 0, true, 1);
    return step?.item?.kind === 'record' ? step.item.fields.join(',') : text.trimEnd();
  }

  close(): void {
    if (this.#file !== undefined) closeSync(this.#file);
    this.#file = undefined;
  }
}

/**
 * Like `openReaderOnWorker`, with `readers` threads each reading every `readers`-th segment of a
 * UTF-8 customer CSV as bytes. The writing thread takes the segments in order, puts their lines
 * right, and keeps the first row of each id (the threads cannot: each sees only its segments), so
 * the outcome is the one reader's. Where a segment did not start on a record, or a segment holds
 * bytes that are not UTF-8, the writing thread reads the rest of the file itself. Undefined where
 * the file cannot be read as bytes at all.
 */
export async function openReaderOnWorkers(plan: ReadPlan, readers: number, segmentBytes = SEGMENT_BYTES): Promise<OpenedReader | undefined> {
  const size = (await stat(plan.path)).size;
  // A header that is not UTF-8 is read as text, by one reader; every segment after it is bytes.
  if (!(await headIsUtf8(plan.path))) return undefined;
  const headReader = await CsvByteReader.open(plan.path, plan.delimiter ?? ',', { chunkBytes: 64 * 1024 });
  const { header } = await readByteHeader(plan, headReader);
  await headReader.close().catch(() => undefined);
  const definition = importKinds[plan.kind];
  if (compileByteCustomerRows(definition, plan.mapping, header) === undefined) return undefined;
  const missingColumns = createRowConverter(definition, plan.mapping, header).missingColumns;
  const starts = await segmentStarts(plan.path, size, segmentBytes);
  const segments: SegmentWork[] = starts.map((start, index) => ({ index, start, stop: starts[index + 1] ?? Number.POSITIVE_INFINITY }));
  const count = Math.max(1, Math.min(readers, segments.length));
  const channels = Array.from({ length: count }, (_, reader) => new ReaderChannel(startWorker({ plan, header, segments: segments.filter((segment) => segment.index % count === reader) })));
  await opened(plan, channels);

  const identityColumn = Object.entries(plan.mapping.columns).find(([, field]) => field === definition.identityField)?.[0] ?? definition.identityField;
  const seen = new SeenKeys();
  const raw = new RawRecords(plan.path, plan.delimiter ?? ',');

  /** A segment's batch with its lines put right and its repeated ids rejected, as one reader would have. */
  const settle = (batch: ReadBatch, lineBase: number): ReadBatch => {
    const rows = batch.packed === undefined ? (batch.records as StoredCustomerRow[]) : unpackStoredRows(batch.packed);
    const origins = batch.origins;
    if (origins === undefined) throw new Error(`A segment of ${plan.path} came without the lines of its rows`);
    const rejects: RejectedRow[] = batch.rejects.map((reject) => ({ ...reject, line: lineBase + reject.line - 1 }));
    const kept: StoredCustomerRow[] = [];
    let duplicates = 0;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index] as StoredCustomerRow;
      if (seen.add(row.id)) {
        kept.push(row);
        continue;
      }
      duplicates += 1;
      const line = lineBase + (origins[index * 3] as number) - 1;
      const reason = `duplicate ${definition.noun} ${row.id}: an earlier row of this file has it and was kept`;
      rejects.push({ line, column: identityColumn, reason, raw: raw.read(origins[index * 3 + 1] as number, origins[index * 3 + 2] as number) });
    }
    if (duplicates > 0) rejects.sort((left, right) => left.line - right.line);
    return { records: kept, rejects, read: batch.read, duplicates: batch.duplicates + duplicates };
  };

  async function* batches(): AsyncGenerator<ReadBatch, void, undefined> {
    let lineBase = 1;
    let expected = 0;
    try {
      for (const segment of segments) {
        // The segment before ended elsewhere than this one starts: a quoted line break fooled the cut.
        if (segment.start !== expected) {
          yield* await openRestReader(plan, expected, lineBase, header, seen);
          return;
        }
        const channel = channels[segment.index % count] as ReaderChannel;
        for (;;) {
          const message = await channel.next();
          if (message.type === 'failed') throw failure(plan, message);
          if (message.type === 'batch') {
            yield settle(message.batch, lineBase);
            channel.ack();
            continue;
          }
          if (message.type !== 'segment') throw new Error(`The import's reading thread sent ${message.type} in segment ${segment.index} of ${plan.path}`);
          lineBase += message.line - 1;
          expected = message.end;
          if (message.textFrom !== undefined) {
            // Bytes that are not UTF-8: from here on the file is read as text, in one go.
            yield* await openRestReader(plan, message.textFrom, lineBase, header, seen);
            return;
          }
          break;
        }
      }
    } finally {
      raw.close();
      await Promise.all(channels.map((channel) => channel.stop()));
    }
  }
  const cancel = async (): Promise<void> => {
    await Promise.all(channels.map((channel) => channel.stop()));
  };
  return { missingColumns, batches: batches(), cancel };
}
