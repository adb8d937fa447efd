// pnpm bench:dispatch — 100k SMS through @kequn/plugin-channel-sms to the loopback HTTP gateway
// (in its own process), from an outbox on a SQLite file, by several backends in the same run:
//   (a) the in-process dispatcher of @kequn/channels (one process), one request per message;
//   (b) the same, through the gateway's batch endpoint (批量提交, 100 messages a request);
//   (c) the same on PostgreSQL, when KEQUN_PG_URL answers;
//   (d) BullMQ on Redis with two worker processes (@kequn/dispatch-bullmq), batches of 100.
// A backend name with "-batch" sends through the batch endpoint; without, one request a message.
// Prints messages/s, the p50/p99 of the adapter's send latency and the CPU time per message of each
// process involved (the figure that does not depend on what else the machine is running), checks
// that the gateway received every message once, and compares (b) with (a).
//   node --conditions=@kequn/source --import tsx packages/dispatch-bullmq/bench/dispatch.ts [--messages 100000] [--workers 2] [--backends sqlite,postgres,bullmq]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDispatcher } from '@kequn/channels';
import { quietLogger, reachableCustomers, seedReachableCustomers, testMessages } from '@kequn/channels/testing';
import { createSmsAdapter, smsSettingsSchema } from '@kequn/plugin-channel-sms';
import { loopbackBatchMapping, loopbackGatewayMapping } from '@kequn/plugin-channel-sms/testing';
import type { SqlStore } from '@kequn/core';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';
import pg from 'pg';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { queueNameFor } from '../src/index.js';
import { LatencyRecorder, quantile } from './latency.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    messages: { type: 'string', default: '100000' },
    workers: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '64' },
    /** Which runs: sqlite, postgres, bullmq, each with or without "-batch" (comma-separated). */
    backends: { type: 'string', default: 'sqlite,sqlite-batch,postgres-batch,bullmq-batch' },
    /** Messages per batch request in the "-batch" runs. */
    'batch-size': { type: 'string', default: '100' },
  },
});
const BACKENDS = new Set(values.backends.split(',').map((name) => name.trim()));
const MESSAGES = Number(values.messages);
const WORKERS = Number(values.workers);
const CONCURRENCY = Number(values.concurrency);
const BATCH_SIZE = Number(values['batch-size']);
const redisUrl = process.env['KEQUN_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const folder = mkdtempSync(join(tmpdir(), 'kequn-bench-dispatch-'));

interface Result {
  backend: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  delivered: number;
  duplicates: number;
  /** CPU time per message (µs) of the sending processes, the gateway, and Redis. */
  cpu: { senders: number; gateway: number; redis: number };
}

function spawnChild(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  // BENCH_CPU_PROF=<dir> writes a CPU profile of each child there, to see where the time goes.
  const profile = process.env['BENCH_CPU_PROF'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`];
  return spawn(process.execPath, [...profile, '--conditions=@kequn/source', '--import', 'tsx', script, ...args], {
    cwd: packageDir,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
}

/** Resolves with the first stdout line that starts with `prefix` (without it). */
function lineFrom(child: ChildProcess, prefix: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((candidate) => candidate.startsWith(prefix));
      if (line === undefined) return;
      child.stdout?.off('data', onData);
      resolve(line.slice(prefix.length).trim());
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${prefix.trim()} never came: the child exited with ${code}`)));
  });
}

async function gatewayCount(gateway: ChildProcess): Promise<{ delivered: number; duplicates: number; cpuMicros: number }> {
  const answer = lineFrom(gateway, 'count ');
  gateway.stdin?.write('count\n');
  const [delivered = 0, duplicates = 0, cpuMicros = 0] = (await answer).split(' ').map(Number);
  return { delivered, duplicates, cpuMicros };
}

/** Redis's own CPU time so far (µs), from INFO cpu. */
async function redisCpuMicros(): Promise<number> {
  const client = new Redis(redisUrl);
  const info = await client.info('cpu').finally(() => client.disconnect());
  const seconds = (name: string): number => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return Math.round((seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6);
}

/** `sqlite:<file>` or `postgres:<schema>` (on KEQUN_PG_URL), empty, seeded and with the messages queued. */
async function freshOutbox(name: string, storeSpec: string): Promise<SqlStore> {
  const [kind, location = ''] = storeSpec.split(/:(.*)/s);
  const store = kind === 'postgres' ? await openPostgresStore({ schema: location, poolSize: 8 }) : await openSqliteStore({ path: location });
  const customers = reachableCustomers(1_000);
  await seedReachableCustomers(store, customers);
  const createdAt = new Date(Date.now() - 60_000).toISOString();
  // Ids differ between runs: the gateway would drop a second run's messages as repeats.
  const messages = testMessages({ channel: 'sms', count: MESSAGES, customers, createdAt, idPrefix: `${name}-${kind}` });
  for (let start = 0; start < messages.length; start += 10_000) await store.outbox.enqueue(messages.slice(start, start + 10_000));
  return store;
}

/** `batchUrl`: send through the gateway's batch endpoint, BATCH_SIZE messages a request. */
async function inProcess(gatewayUrl: string, gateway: ChildProcess, storeSpec: string, label: string, batchUrl?: string): Promise<Result> {
  const store = await freshOutbox(batchUrl === undefined ? 'in-process' : 'in-process-batch', storeSpec);
  const latency = new LatencyRecorder();
  const batch = batchUrl === undefined ? {} : { batch: { url: batchUrl, ...loopbackBatchMapping, maxSize: BATCH_SIZE } };
  const sms = createSmsAdapter(smsSettingsSchema.parse({ url: gatewayUrl, signName: '客群银行', ratePerSecond: 1_000_000, ...loopbackGatewayMapping, ...batch }));
  // With batches, a few batches' worth of messages in flight, so that one goes out while others are answered.
  const concurrency = batchUrl === undefined ? CONCURRENCY : Math.max(CONCURRENCY, 4 * BATCH_SIZE);
  const dispatcher = createDispatcher({ store, channels: { sms: latency.wrap(sms) }, batchSize: 1_000, concurrency, logger: quietLogger });
  await gatewayCount(gateway);
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const summary = await dispatcher.runUntilIdle();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);
  await dispatcher.close();
  const counts = await store.outbox.countByStatus();
  await store.close();
  if (summary.sent !== MESSAGES || counts.sent !== MESSAGES) throw new Error(`in-process: ${summary.sent} sent, outbox ${JSON.stringify(counts)}`);
  const { delivered, duplicates, cpuMicros } = await gatewayCount(gateway);
  return {
    backend: `in-process dispatcher, ${label}${batchUrl === undefined ? '' : `, batches of ${BATCH_SIZE}`}`,
    seconds,
    perSecond: MESSAGES / seconds,
    p50: quantile(latency.samples, 0.5),
    p99: quantile(latency.samples, 0.99),
    delivered,
    duplicates,
    cpu: { senders: (cpu.user + cpu.system) / MESSAGES, gateway: cpuMicros / MESSAGES, redis: 0 },
  };
}

async function bullmq(gatewayUrl: string, gateway: ChildProcess, storeSpec: string, label: string, batchUrl?: string): Promise<Result> {
  const store = await freshOutbox(batchUrl === undefined ? 'bullmq' : 'bullmq-batch', storeSpec);
  const queueName = `kequn-bench-${randomBytes(4).toString('hex')}`;
  const queue = new Queue(queueNameFor(queueName, 'sms'), { connection: { url: redisUrl } });
  // With batches, each worker holds two jobs' worth of messages in flight (as the in-process run does).
  const batchEnv = batchUrl === undefined ? {} : { BENCH_BATCH_URL: batchUrl, BENCH_BATCH_SIZE: String(BATCH_SIZE) };
  const concurrency = batchUrl === undefined ? CONCURRENCY : Math.max(CONCURRENCY, 2 * BATCH_SIZE);
  const workers = Array.from({ length: WORKERS }, (_, index) =>
    spawnChild('bench/worker-child.ts', [storeSpec, queueName, gatewayUrl, `bench-worker-${index + 1}`, '1'], { BENCH_CONCURRENCY: String(concurrency), ...batchEnv }),
  );
  try {
    await Promise.all(workers.map((worker) => lineFrom(worker, 'ready')));
    await gatewayCount(gateway);
    const redisAtStart = await redisCpuMicros();
    const started = performance.now();
    for (;;) {
      const counts = await store.outbox.countByStatus();
      if (counts.sent + counts.rejected + counts.dead >= MESSAGES) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const redisCpu = (await redisCpuMicros()) - redisAtStart;
    const seconds = (performance.now() - started) / 1000;
    const reports = workers.map((worker) => lineFrom(worker, 'report '));
    for (const worker of workers) worker.kill('SIGTERM');
    const parsed = (await Promise.all(reports)).map((line) => JSON.parse(line) as { sends: number; p50: number; p99: number; cpuMicros: number });
    const counts = await store.outbox.countByStatus();
    if (counts.sent !== MESSAGES) throw new Error(`bullmq: outbox ${JSON.stringify(counts)}`);
    const { delivered, duplicates, cpuMicros } = await gatewayCount(gateway);
    // The workers' p99s are of similar size; the larger is the honest figure for the whole run.
    return {
      backend: `BullMQ, ${WORKERS} workers, ${label}${batchUrl === undefined ? '' : `, batches of ${BATCH_SIZE}`}`,
      seconds,
      perSecond: MESSAGES / seconds,
      p50: Math.max(...parsed.map((report) => report.p50)),
      p99: Math.max(...parsed.map((report) => report.p99)),
      delivered,
      duplicates,
      cpu: { senders: parsed.reduce((sum, report) => sum + report.cpuMicros, 0) / MESSAGES, gateway: cpuMicros / MESSAGES, redis: redisCpu / MESSAGES },
    };
  } finally {
    for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
    await queue.obliterate({ force: true });
    await queue.close();
    await store.close();
  }
}

/** PostgreSQL, which workers on several machines share, when KEQUN_PG_URL answers; else none. */
async function postgresSchema(): Promise<string | undefined> {
  const url = process.env['KEQUN_PG_URL'];
  if (url === undefined) return undefined;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return `kequn_bench_dispatch_${randomBytes(4).toString('hex')}`;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: process.env['KEQUN_PG_URL'] });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

const gateway = spawnChild('bench/gateway-child.ts', []);
const schemas: string[] = [];
/** A fresh schema per PostgreSQL run, dropped at the end. */
function nextSchema(base: string): string {
  const name = `${base}_${schemas.length}`;
  schemas.push(name);
  return name;
}
try {
  const [gatewayUrl, batchUrl] = await Promise.all([lineFrom(gateway, 'url '), lineFrom(gateway, 'batch ')]);
  const schema = await postgresSchema();
  console.log(`dispatch bench: ${MESSAGES.toLocaleString('en')} SMS through channel-sms to a loopback HTTP gateway (own process), ${CONCURRENCY} sends in flight per process`);
  const results: Result[] = [];
  for (const name of BACKENDS) {
    const batched = name.endsWith('-batch') ? batchUrl : undefined;
    const kind = name.replace(/-batch$/, '');
    if (kind === 'sqlite') {
      results.push(await inProcess(gatewayUrl, gateway, `sqlite:${join(folder, `${name}.db`)}`, 'SQLite', batched));
    } else if (kind === 'postgres' && schema !== undefined) {
      results.push(await inProcess(gatewayUrl, gateway, `postgres:${nextSchema(schema)}`, 'PostgreSQL', batched));
    } else if (kind === 'bullmq' && schema !== undefined) {
      results.push(await bullmq(gatewayUrl, gateway, `postgres:${nextSchema(schema)}`, 'PostgreSQL', batched));
    } else if (kind === 'bullmq') {
      console.log('  (KEQUN_PG_URL unset or unreachable: BullMQ workers share a SQLite file, whose single writer lock they contend for)');
      results.push(await bullmq(gatewayUrl, gateway, `sqlite:${join(folder, `${name}.db`)}`, 'SQLite', batched));
    } else if (kind === 'postgres') {
      console.log(`  (${name} left out: KEQUN_PG_URL unset or unreachable)`);
    } else {
      throw new Error(`--backends: unknown backend "${name}" (sqlite, postgres, bullmq, each optionally with -batch)`);
    }
  }
  for (const result of results) {
    console.log(
      `  ${result.backend.padEnd(40)} ${result.seconds.toFixed(1).padStart(6)} s  ${Math.round(result.perSecond).toLocaleString('en').padStart(7)} messages/s  send p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms  (gateway: ${result.delivered} delivered, ${result.duplicates} repeats dropped)`,
    );
    const { senders, gateway: peer, redis } = result.cpu;
    console.log(
      `  ${''.padEnd(40)} CPU per message: senders ${Math.round(senders)} µs, gateway ${Math.round(peer)} µs, Redis ${Math.round(redis)} µs → at most ${Math.round(1e6 / (senders + peer + redis)).toLocaleString('en')} messages/s per core busy`,
    );
  }
  const first = results[0];
  for (const other of results.slice(1)) {
    if (first !== undefined) console.log(`  ${other.backend} vs ${first.backend}: ${(other.perSecond / first.perSecond).toFixed(2)}× the throughput`);
  }
  console.log('  target: 5,000 messages/s');
} finally {
  gateway.stdin?.end();
  rmSync(folder, { recursive: true, force: true });
  await dropSchemas(schemas);
}
