// Three BullMQ worker processes drain one outbox into the loopback SMS gateway; one of them is
// killed with SIGKILL part-way. Every message reaches the phone exactly once and the outbox shows
// every message sent — on a shared SQLite file, and on PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reachableCustomers, seedReachableCustomers, testMessages } from '@kequn/channels/testing';
import { startLoopbackSmsGateway, type LoopbackSmsGateway } from '@kequn/plugin-channel-sms/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { queueNameFor } from '../src/index.js';
import { openStore, postgresUrl } from './stores.js';

const MESSAGES = 600;
const WORKER_CONCURRENCY = 8;
const redisUrl = process.env['KEQUN_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const requireServices = process.env['KEQUN_REQUIRE_SERVICES'] === '1';
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

async function unreachable(probe: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await probe();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const redisDown = await unreachable(async () => {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
  } finally {
    redis.disconnect();
  }
});
const postgresDown =
  process.env['KEQUN_PG_URL'] === undefined && !requireServices
    ? 'KEQUN_PG_URL is not set'
    : await unreachable(async () => {
        const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
        try {
          await client.connect();
        } finally {
          await client.end().catch(() => undefined);
        }
      });

interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; errors: string }>;
}

function startWorker(storeSpec: string, queueName: string, gateway: LoopbackSmsGateway, workerId: string): WorkerProcess {
  const child = spawn(process.execPath, ['--conditions=@kequn/source', '--import', 'tsx', 'test/worker-child.ts', storeSpec, queueName, gateway.url, workerId], {
    cwd: packageDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`worker ${workerId} exited before it was ready: ${errors}`)));
  });
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; errors: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output, errors })),
  );
  return { child, ready, exited };
}

/** Polls until the condition holds; the test's own timeout ends a run that never gets there. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

function serviceGate(down: string | undefined): 'run' | 'skip' | 'fail' {
  if (down === undefined) return 'run';
  return requireServices ? 'fail' : 'skip';
}

const folder = mkdtempSync(join(tmpdir(), 'kequn-bullmq-'));
const pgSchema = `kequn_test_bullmq_${process.pid}_${randomBytes(4).toString('hex')}`;
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  if (postgresDown !== undefined) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
  await client.end();
});

const subjects = [
  { name: 'a shared SQLite file', storeSpec: `sqlite:${join(folder, 'outbox.db')}`, down: undefined as string | undefined, service: 'SQLite' },
  { name: 'PostgreSQL', storeSpec: `postgres:${pgSchema}`, down: postgresDown, service: `PostgreSQL at ${postgresUrl}` },
];

describe.each(subjects)('three BullMQ workers on $name, one killed mid-run', ({ storeSpec, down, service }) => {
  const gates = [serviceGate(redisDown), serviceGate(down)];
  const reasons = [redisDown === undefined ? undefined : `Redis at ${redisUrl}: ${redisDown}`, down === undefined ? undefined : `${service}: ${down}`].filter(
    (reason): reason is string => reason !== undefined,
  );
  if (gates.includes('fail')) {
    it('reaches its services (KEQUN_REQUIRE_SERVICES=1)', () => {
      throw new Error(`unreachable: ${reasons.join('; ')}`);
    });
    return;
  }
  if (gates.includes('skip')) {
    it.skip(`needs ${reasons.join('; ')}`, () => undefined);
    return;
  }

  it('delivers every message exactly once', async () => {
    const queueName = `kequn-test-${process.pid}-${randomBytes(4).toString('hex')}`;
    const gateway = await startLoopbackSmsGateway();
    const store = await openStore(storeSpec);
    const queue = new Queue(queueNameFor(queueName, 'sms'), { connection: { url: redisUrl } });
    const workers: WorkerProcess[] = [];
    try {
      const customers = reachableCustomers(120);
      await seedReachableCustomers(store, customers);
      await store.outbox.enqueue(testMessages({ channel: 'sms', count: MESSAGES, customers, createdAt: new Date(Date.now() - 60_000).toISOString() }));
      // Some sends fail at first: they are retried, possibly by another worker.
      gateway.failNext(10);

      for (const workerId of ['worker-a', 'worker-b', 'worker-c']) workers.push(startWorker(storeSpec, queueName, gateway, workerId));
      await Promise.all(workers.map((worker) => worker.ready));
      const [victim, ...survivors] = workers;
      if (victim === undefined) throw new Error('no workers');

      await until(() => gateway.delivered.length >= MESSAGES / 3);
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      const deliveredWhenKilled = gateway.delivered.length;
      expect(deliveredWhenKilled).toBeLessThan(MESSAGES);

      await until(async () => (await store.outbox.countByStatus()).sent === MESSAGES);
      for (const survivor of survivors) survivor.child.kill('SIGTERM');
      const endings = await Promise.all(survivors.map((survivor) => survivor.exited));
      expect(endings.map((ending) => ending.code)).toEqual([0, 0]);

      // The phone got each message once: one delivery per key, and the keys are exactly the outbox ids.
      const keys = gateway.delivered.map((sms) => sms.serialNo);
      expect(new Set(keys).size).toBe(MESSAGES);
      expect(keys).toHaveLength(MESSAGES);
      const ids = testMessages({ channel: 'sms', count: MESSAGES, customers }).map((message) => message.id);
      expect(new Set(keys)).toEqual(new Set(ids));
      // Resends happen only for sends the killed worker had in flight, and the gateway dropped them by key.
      expect(gateway.duplicates).toBeLessThanOrEqual(WORKER_CONCURRENCY);
      expect(await store.outbox.countByStatus()).toEqual({ pending: 0, sending: 0, sent: MESSAGES, rejected: 0, dead: 0 });
      // Both survivors took part after the kill.
      const totals = endings.map((ending) => JSON.parse((ending.output.split('\n').find((line) => line.startsWith('totals ')) ?? 'totals {}').slice('totals '.length)) as { sent: number });
      expect(totals.every((total) => total.sent > 0)).toBe(true);
      expect(totals.reduce((sum, total) => sum + total.sent, 0)).toBeGreaterThanOrEqual(MESSAGES - deliveredWhenKilled);
    } finally {
      for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await queue.obliterate({ force: true });
      await queue.close();
      await store.close();
      await gateway.close();
    }
  });
});
