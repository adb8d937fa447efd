// The worker thread of an import: runs the reading half (reading.ts) and posts its batches to the
// thread that writes them, staying a few batches ahead at most so that memory stays flat. It reads
// either the whole file, or (one of several reading threads) the segments it is given, in order.
import { parentPort, workerData } from 'node:worker_threads';
import { isKequnError } from '@kequn/core';
import { openReader, openSegmentReader, segmentContext, type ReadBatch, type ReadPlan, type ReadSegment } from './reading.js';
import type { ReaderMessage, SegmentWork, WriterMessage } from './worker-reading.js';

const AHEAD = 2;
/** A segment reader runs further ahead: the writer takes its batches only once earlier segments are written. */
const SEGMENT_AHEAD = 4;

async function run(port: NonNullable<typeof parentPort>): Promise<void> {
  let unacknowledged = 0;
  let wake: (() => void) | undefined;
  port.on('message', (message: WriterMessage) => {
    if (message.type !== 'ack') return;
    unacknowledged -= 1;
    wake?.();
  });
  const post = (message: ReaderMessage): void => port.postMessage(message);
  const postBatch = async (batch: ReadBatch, segment: number | undefined, ahead: number): Promise<void> => {
    // Packed rows are handed over, not copied.
    const transfer: ArrayBuffer[] = batch.packed === undefined ? [] : [batch.packed.bytes, batch.packed.lengths.buffer as ArrayBuffer];
    if (batch.origins !== undefined) transfer.push(batch.origins.buffer as ArrayBuffer);
    port.postMessage({ type: 'batch', batch, segment } satisfies ReaderMessage, transfer);
    unacknowledged += 1;
    while (unacknowledged >= ahead) await new Promise<void>((resolve) => (wake = resolve));
  };
  try {
    const work = workerData as { plan: ReadPlan; segments?: SegmentWork[]; header?: string[] };
    const { plan } = work;
    if (work.segments === undefined) {
      // Customers are packed as they are read, to cross without a copy (stored-row-pack.ts).
      const reader = await openReader(plan, { pack: plan.kind === 'customers' });
      post({ type: 'opened', missingColumns: reader.missingColumns });
      for await (const batch of reader.batches) await postBatch(batch, undefined, AHEAD);
    } else {
      post({ type: 'opened', missingColumns: [] });
      const header = work.header ?? [];
      // Compiled once for all of this thread's segments.
      const context = segmentContext(plan, header, { pack: true });
      if (context === undefined) throw new Error(`${plan.path} cannot be read as bytes with its mapping`);
      for (const { index, start, stop } of work.segments) {
        const segment: ReadSegment = { start, stop, line: 1, header: index === 0 ? undefined : header };
        const reader = await openSegmentReader(plan, segment, context);
        for await (const batch of reader.batches) await postBatch(batch, index, SEGMENT_AHEAD);
        post({ type: 'segment', segment: index, ...reader.ended() });
      }
    }
    post({ type: 'done' });
  } catch (error) {
    const details = isKequnError(error) ? error.details : undefined;
    post({
      type: 'failed',
      code: isKequnError(error) ? error.code : undefined,
      message: error instanceof Error ? error.message : String(error),
      reason: typeof details?.['reason'] === 'string' ? details['reason'] : undefined,
    });
  }
  port.close();
}

if (parentPort !== null) await run(parentPort);
