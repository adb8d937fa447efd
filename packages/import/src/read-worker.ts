// The worker thread of an import: runs the reading half (reading.ts) and posts its batches to the
// thread that writes them, staying at most two batches ahead so that memory stays flat.
import { parentPort, workerData } from 'node:worker_threads';
import { isKequnError } from '@kequn/core';
import { openReader, type ReadPlan } from './reading.js';
import type { ReaderMessage, WriterMessage } from './worker-reading.js';

const AHEAD = 2;

async function run(port: NonNullable<typeof parentPort>): Promise<void> {
  let unacknowledged = 0;
  let wake: (() => void) | undefined;
  port.on('message', (message: WriterMessage) => {
    if (message.type !== 'ack') return;
    unacknowledged -= 1;
    wake?.();
  });
  const post = (message: ReaderMessage): void => port.postMessage(message);
  try {
    const plan = workerData as ReadPlan;
    // Customers are packed as they are read, to cross without a copy (stored-row-pack.ts).
    const reader = await openReader(plan, { pack: plan.kind === 'customers' });
    post({ type: 'opened', missingColumns: reader.missingColumns });
    for await (const batch of reader.batches) {
      // Packed rows are handed over, not copied.
      const transfer = batch.packed === undefined ? [] : [batch.packed.text, batch.packed.lengths.buffer as ArrayBuffer];
      port.postMessage({ type: 'batch', batch } satisfies ReaderMessage, transfer);
      unacknowledged += 1;
      while (unacknowledged >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
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
