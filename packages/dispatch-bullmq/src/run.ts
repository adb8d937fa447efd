// `kequn-worker <module>`: starts a BullMQ dispatch worker from a module whose default export is
// the worker's options (or a function returning them), and closes it cleanly on SIGTERM / SIGINT.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DispatchBullmqError } from './errors.js';
import { startBullmqWorker, type BullmqDispatchWorker, type BullmqWorkerOptions } from './worker.js';

type WorkerModule = { default?: BullmqWorkerOptions | (() => BullmqWorkerOptions | Promise<BullmqWorkerOptions>) };

/**
 * Loads the module, starts the worker and stops it on SIGTERM or SIGINT: the jobs in hand finish,
 * the store is closed, and what is still queued stays for the other workers.
 */
export async function runWorkerFromModule(modulePath: string): Promise<BullmqDispatchWorker> {
  const loaded = (await import(pathToFileURL(resolve(modulePath)).href)) as WorkerModule;
  const exported = loaded.default;
  if (exported === undefined) {
    throw new DispatchBullmqError(
      'KQ_BULLMQ_WORKER_CONFIG_INVALID',
      `${modulePath} has no default export: export the worker's options ({ store, channels, … }) or a function that returns them.`,
      { modulePath },
    );
  }
  const options = typeof exported === 'function' ? await exported() : exported;
  const worker = await startBullmqWorker(options);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`kequn-worker ${worker.workerId}: ${signal} received, finishing the jobs in hand.\n`);
    void worker
      .close()
      .then(() => options.store.close())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.stderr.write(`kequn-worker ${worker.workerId}: draining ${worker.queueNames.join(', ')}.\n`);
  return worker;
}
