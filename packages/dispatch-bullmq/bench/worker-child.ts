// One BullMQ worker process of the dispatch bench. Prints "ready", and on SIGTERM its totals, send
// latencies (p50/p99 in ms) and CPU time as one JSON line.
// node --conditions=@kequn/source --import tsx bench/worker-child.ts <sqlite:file | postgres:schema> <queue> <gateway url> <worker id> <feeder: 0|1>
import { createSmsAdapter, smsSettingsSchema } from '@kequn/plugin-channel-sms';
import { loopbackBatchMapping, loopbackGatewayMapping } from '@kequn/plugin-channel-sms/testing';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';
import { startBullmqWorker } from '../src/index.js';
import { LatencyRecorder, quantile } from './latency.js';

const [storeSpec, queueName, gatewayUrl, workerId, feeder] = process.argv.slice(2);
if (storeSpec === undefined || queueName === undefined || gatewayUrl === undefined || workerId === undefined) {
  throw new Error('usage: worker-child.ts <sqlite:file | postgres:schema> <queue> <gateway url> <worker id> <feeder>');
}
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 64);
const latency = new LatencyRecorder();
const [kind, location = ''] = storeSpec.split(/:(.*)/s);
const store = kind === 'postgres' ? await openPostgresStore({ schema: location, poolSize: 8 }) : await openSqliteStore({ path: location });
// BENCH_BATCH_URL / BENCH_BATCH_SIZE: send through the gateway's batch endpoint.
const batchUrl = process.env['BENCH_BATCH_URL'];
const batch = batchUrl === undefined ? {} : { batch: { url: batchUrl, ...loopbackBatchMapping, maxSize: Number(process.env['BENCH_BATCH_SIZE'] ?? 100) } };
const sms = createSmsAdapter(smsSettingsSchema.parse({ url: gatewayUrl, signName: '客群银行', ratePerSecond: 1_000_000, ...loopbackGatewayMapping, ...batch }));
const worker = await startBullmqWorker({
  store,
  channels: { sms: latency.wrap(sms) },
  workerId,
  queueName,
  feeder: feeder === '1',
  concurrency,
  // A job's messages go out in batch requests of their own: as many to a job as to a batch.
  ...(batchUrl === undefined ? {} : { messagesPerJob: Number(process.env['BENCH_BATCH_SIZE'] ?? 100) }),
  batchSize: 1_000,
  maxQueued: 10_000,
  pollIntervalMs: 50,
  logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message) => process.stderr.write(`${message}\n`) },
});
const cpuAtStart = process.cpuUsage();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => store.close())
    .then(() => {
      const cpu = process.cpuUsage(cpuAtStart);
      const report = { workerId, totals: worker.totals(), sends: latency.samples.length, p50: quantile(latency.samples, 0.5), p99: quantile(latency.samples, 0.99), cpuMicros: cpu.user + cpu.system };
      process.stdout.write(`report ${JSON.stringify(report)}\n`);
      process.exit(0);
    });
});
