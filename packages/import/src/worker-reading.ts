// Runs the reading half of an import on a worker thread and hands its batches to the writing
// thread as an async generator: parsing, mapping, validating and encoding (most of an import's
// work) then run beside the store's writes instead of before them.
import { Worker } from 'node:worker_threads';
import { ImportSourceError } from './errors.js';
import type { OpenedReader, ReadBatch, ReadPlan } from './reading.js';
import { unpackStoredRows } from './stored-row-pack.js';

/** A batch as the writing thread takes it: customers packed by the worker become stored rows here. */
export function unpackBatch(batch: ReadBatch): ReadBatch {
  if (batch.packed === undefined) return batch;
  return { records: unpackStoredRows(batch.packed), rejects: batch.rejects, read: batch.read, duplicates: batch.duplicates };
}

export type ReaderMessage =
  | { type: 'opened'; missingColumns: string[] }
  | { type: 'batch'; batch: ReadBatch }
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

function startWorker(plan: ReadPlan): Worker {
  // `--input-type` (a parent run with `node -e`) is refused by a worker whose code is a file.
  const inherited = process.execArgv.filter((option) => !option.startsWith('--input-type'));
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./read-worker.js', import.meta.url), { workerData: plan, execArgv: inherited, resourceLimits });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./read-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  const condition = inherited.some((option) => option.includes('@kequn/source')) ? [] : ['--conditions=@kequn/source'];
  return new Worker(bootstrap, { eval: true, workerData: plan, execArgv: [...inherited, ...condition], resourceLimits });
}

function failure(plan: ReadPlan, message: Extract<ReaderMessage, { type: 'failed' }>): Error {
  if (message.code === 'KQ_IMPORT_SOURCE_UNREADABLE') return new ImportSourceError(plan.path, message.reason ?? message.message);
  return new Error(`The import's reading thread failed on ${plan.path}: ${message.message}`);
}

/** Like `openReader`, on a worker thread. Ending the batches early (a failed write) stops the worker. */
export async function openReaderOnWorker(plan: ReadPlan): Promise<OpenedReader> {
  const worker = startWorker(plan);
  const queue: ReaderMessage[] = [];
  let waiting: ((message: ReaderMessage) => void) | undefined;
  const deliver = (message: ReaderMessage): void => {
    if (waiting === undefined) {
      queue.push(message);
      return;
    }
    const resolve = waiting;
    waiting = undefined;
    resolve(message);
  };
  worker.on('message', deliver);
  worker.on('error', (error) => deliver({ type: 'failed', code: undefined, message: error.message, reason: undefined }));
  worker.on('exit', (code) => deliver({ type: 'failed', code: undefined, message: `it exited with code ${code}`, reason: undefined }));
  const next = (): Promise<ReaderMessage> => {
    const queued = queue.shift();
    return queued === undefined ? new Promise((resolve) => (waiting = resolve)) : Promise.resolve(queued);
  };

  const opened = await next();
  if (opened.type !== 'opened') {
    await worker.terminate();
    throw opened.type === 'failed' ? failure(plan, opened) : new Error(`The import's reading thread sent ${opened.type} before opening ${plan.path}`);
  }
  async function* batches(): AsyncGenerator<ReadBatch, void, undefined> {
    try {
      for (;;) {
        const message = await next();
        if (message.type === 'done') return;
        if (message.type === 'failed') throw failure(plan, message);
        if (message.type !== 'batch') continue;
        yield unpackBatch(message.batch);
        worker.postMessage({ type: 'ack' } satisfies WriterMessage);
      }
    } finally {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
  const cancel = async (): Promise<void> => {
    worker.removeAllListeners('exit');
    await worker.terminate();
  };
  return { missingColumns: opened.missingColumns, batches: batches(), cancel };
}
