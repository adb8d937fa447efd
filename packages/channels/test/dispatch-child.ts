// Child process of shared-store.test.ts: one dispatcher on a shared SQLite file, appending every
// message it delivered to a log, as the peer of a real channel would see it.
// node --conditions=@kequn/source --import tsx test/dispatch-child.ts <db> <workerId> <log>
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import type { ChannelAdapter } from '@kequn/core';
import { openSqliteStore } from '@kequn/store-sqlite';
import { createDispatcher } from '../src/index.js';

const [path, workerId, log] = process.argv.slice(2);
if (path === undefined || workerId === undefined || log === undefined) throw new Error('usage: dispatch-child.ts <db> <workerId> <log>');

let calls = 0;
const adapter: ChannelAdapter = {
  capabilities: { kinds: ['text'], deliveryReceipts: false, replies: false },
  async send(_message, _recipient, { idempotencyKey }) {
    calls += 1;
    // Every seventh call fails, so that retries move between the two processes too.
    if (calls % 7 === 3) return { status: 'failed', reason: 'HTTP 503' };
    appendFileSync(log, `${idempotencyKey} ${workerId}\n`);
    return { status: 'accepted' };
  },
  health: () => ({ state: 'healthy', checkedAt: new Date().toISOString() }),
};

// A start barrier: each process says it is ready and waits for the other, so both really compete
// for the same messages however long one of them took to start.
writeFileSync(`${log}.${workerId}.ready`, '');
const deadline = Date.now() + 60_000;
while (!['process-a', 'process-b'].every((peer) => existsSync(`${log}.${peer}.ready`))) {
  if (Date.now() > deadline) throw new Error(`${workerId}: the other dispatcher never started`);
  await new Promise((resolve) => setTimeout(resolve, 10));
}

const store = await openSqliteStore({ path });
const dispatcher = createDispatcher({
  store,
  channels: { sms: adapter },
  workerId,
  batchSize: 5,
  concurrency: 2,
  retry: { maxAttempts: 10, baseMs: 5, maxMs: 20 },
  breaker: { failureThreshold: 1_000 },
  logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message) => process.stderr.write(`${message}\n`) },
});
await dispatcher.runUntilIdle();
await dispatcher.close();
await store.close();
