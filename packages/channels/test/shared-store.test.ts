// Dispatchers that share one database never send a message twice: two processes on one SQLite
// file, and two connection pools on one PostgreSQL schema.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KequnStore } from '@kequn/core';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../src/index.js';
import { ScriptedAdapter, reachableCustomers, seedStore, smsMessage } from './fixtures.js';

const customers = reachableCustomers(60);
const MESSAGES = 240;

async function queueMessages(store: KequnStore): Promise<void> {
  await seedStore(store, customers);
  const at = new Date(Date.now() - 60_000);
  await store.outbox.enqueue(
    Array.from({ length: MESSAGES }, (_, index) => smsMessage(`S${String(index).padStart(4, '0')}`, customers[index % customers.length]?.id ?? 'C0000', at.toISOString())),
  );
}

function runChild(cwd: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@kequn/source', '--import', 'tsx', 'test/dispatch-child.ts', ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('dispatchers sharing a SQLite file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-dispatch-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('deliver every message exactly once from two processes', async () => {
    const path = join(folder, 'shared.db');
    const log = join(folder, 'delivered.log');
    writeFileSync(log, '');
    const store = await openSqliteStore({ path });
    await queueMessages(store);
    await store.close();

    const cwd = dirname(dirname(fileURLToPath(import.meta.url)));
    const results = await Promise.all([runChild(cwd, [path, 'process-a', log]), runChild(cwd, [path, 'process-b', log])]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);

    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const keys = lines.map((line) => line.split(' ')[0]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(MESSAGES);
    const workers = new Set(lines.map((line) => line.split(' ')[1]));
    expect(workers.size).toBe(2);
    const reopened = await openSqliteStore({ path });
    expect(await reopened.outbox.countByStatus()).toEqual({ pending: 0, sending: 0, sent: MESSAGES, rejected: 0, dead: 0 });
    await reopened.close();
  });
});

const postgresUrl = process.env['KEQUN_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unreachable = await postgresReachable();

describe('dispatchers sharing a PostgreSQL schema', () => {
  if (unreachable !== undefined) {
    const message = `PostgreSQL at ${postgresUrl} is unreachable: ${unreachable}. Start it or set KEQUN_PG_URL.`;
    if (process.env['KEQUN_REQUIRE_SERVICES'] === '1') {
      it('reaches PostgreSQL (KEQUN_REQUIRE_SERVICES=1)', () => {
        throw new Error(message);
      });
    } else it.skip(message, () => undefined);
    return;
  }
  const schema = `kequn_test_dispatch_${process.pid}_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('deliver every message exactly once from two pools', async () => {
    const first = await openPostgresStore({ url: postgresUrl, schema, poolSize: 4 });
    const second = await openPostgresStore({ url: postgresUrl, schema, poolSize: 4 });
    await queueMessages(first);
    const clock = { now: Date.now };
    const adapter = new ScriptedAdapter(clock, ({ index }) => (index % 9 === 4 ? { status: 'failed', reason: 'HTTP 503' } : { status: 'accepted' }));
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const options = { channels: { sms: adapter }, batchSize: 6, concurrency: 3, retry: { maxAttempts: 10, baseMs: 5, maxMs: 20 }, breaker: { failureThreshold: 1_000 }, logger: quiet };
    const dispatchers = [createDispatcher({ ...options, store: first, workerId: 'pool-a' }), createDispatcher({ ...options, store: second, workerId: 'pool-b' })];
    const summaries = await Promise.all(dispatchers.map((dispatcher) => dispatcher.runUntilIdle()));
    expect(summaries.reduce((sum, summary) => sum + summary.sent, 0)).toBe(MESSAGES);
    expect(summaries.every((summary) => summary.sent > 0)).toBe(true);
    expect(adapter.duplicates).toBe(0);
    expect(adapter.accepted.size).toBe(MESSAGES);
    expect(await first.outbox.countByStatus()).toEqual({ pending: 0, sending: 0, sent: MESSAGES, rejected: 0, dead: 0 });
    await Promise.all([first.close(), second.close()]);
  });
});
