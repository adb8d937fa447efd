// One BullMQ dispatch worker process of bullmq-workers.test.ts, sending SMS through the loopback
// gateway the test runs. Prints "ready" once its workers take jobs, and stops on SIGTERM.
// node --conditions=@kequn/source --import tsx test/worker-child.ts <store> <queue> <gateway url> <worker id>
import { createSmsAdapter, smsSettingsSchema } from '@kequn/plugin-channel-sms';
import { loopbackGatewayMapping } from '@kequn/plugin-channel-sms/testing';
import { startBullmqWorker } from '../src/index.js';
import { openStore } from './stores.js';

const [storeSpec, queueName, gatewayUrl, workerId] = process.argv.slice(2);
if (storeSpec === undefined || queueName === undefined || gatewayUrl === undefined || workerId === undefined) {
  throw new Error('usage: worker-child.ts <store> <queue> <gateway url> <worker id>');
}

const store = await openStore(storeSpec);
const sms = createSmsAdapter(smsSettingsSchema.parse({ url: gatewayUrl, signName: '客群银行', ratePerSecond: 3_000, timeoutMs: 5_000, ...loopbackGatewayMapping }));
const worker = await startBullmqWorker({
  store,
  channels: { sms },
  workerId,
  queueName,
  concurrency: 8,
  batchSize: 50,
  maxQueued: 200,
  pollIntervalMs: 50,
  lockDurationMs: 2_000,
  leaseMs: 60_000,
  retry: { maxAttempts: 8, baseMs: 20, maxMs: 200 },
  breaker: { failureThreshold: 1_000 },
  logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message) => process.stderr.write(`${message}\n`) },
});
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => store.close())
    .then(() => {
      process.stdout.write(`totals ${JSON.stringify(worker.totals())}\n`);
      process.exit(0);
    });
});
