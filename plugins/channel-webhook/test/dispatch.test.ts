// The real dispatcher, a SQLite file and a receiver that verifies with verifyWebhook: a failing
// receiver is retried, paused by the circuit breaker (reported) and resumed when it comes back;
// the receiver acts on each id once; every outbox row ends sent or rejected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, seededRandom } from '@kequn/channels';
import {
  TestClock,
  eventsNamed,
  outageDuringCoolDowns,
  quietLogger,
  reachableCustomers,
  recordDispatcherEvents,
  seedReachableCustomers,
  settledCount,
  testMessages,
} from '@kequn/channels/testing';
import { openSqliteStore } from '@kequn/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookAdapter, webhookSettingsSchema } from '../src/index.js';
import { startPushReceiver } from './receiver.js';

const secret = 'push-signing-secret-0123456789abcdef';
const MESSAGES = 40;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('dispatching app pushes to a verifying receiver', () => {
  it('retries, pauses the channel, recovers, and neither delivers twice nor loses a message', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kequn-webhook-dispatch-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    const store = await openSqliteStore({ path: join(folder, 'outbox.db') });
    cleanups.push(() => store.close());
    const receiver = await startPushReceiver(secret);
    cleanups.push(() => receiver.close());

    const customers = reachableCustomers(20);
    const uninstalled = customers[3];
    if (uninstalled === undefined) throw new Error('fixture');
    // The receiver answers 410 Gone for an app that was uninstalled: refused for good.
    customers[3] = {
      ...uninstalled,
      profile: { ...uninstalled.profile, appUserId: 'uninstalled' },
    };
    await seedReachableCustomers(store, customers);
    const clock = new TestClock();
    const queued = testMessages({
      channel: 'app_push',
      count: MESSAGES,
      customers,
      createdAt: clock.iso(),
    });
    await store.outbox.enqueue(queued);

    const adapter = createWebhookAdapter(
      webhookSettingsSchema.parse({ url: receiver.url, secret, timeoutMs: 500 }),
    );
    const dispatcher = createDispatcher({
      store,
      channels: { app_push: { id: 'app-push', adapter } },
      clock: clock.now,
      sleep: clock.sleep,
      random: seededRandom(9),
      logger: quietLogger,
      concurrency: 1,
      retry: { maxAttempts: 6, baseMs: 1_000, maxMs: 30_000 },
      breaker: { failureThreshold: 4, coolDownMs: 15_000 },
    });
    cleanups.push(() => dispatcher.close());
    const recorded = recordDispatcherEvents(dispatcher);

    // Four 502s open the circuit; during the cool-down the receiver goes away, so the probe fails;
    // during the next cool-down it is back.
    receiver.failNext(4, 502);
    clock.whileAsleep = outageDuringCoolDowns(recorded, receiver);

    const summary = await dispatcher.runUntilIdle();

    const opened = eventsNamed(recorded, 'channel.breakerOpened');
    expect(opened.map((event) => event.lastError)).toEqual([
      'the webhook receiver answered HTTP 502',
      expect.stringMatching(/^could not reach the webhook receiver/),
    ]);
    expect(eventsNamed(recorded, 'channel.breakerClosed')).toHaveLength(1);
    expect(summary.retried).toBeGreaterThanOrEqual(5);

    const sendable = queued
      .filter((message) => message.customerId !== customers[3]?.id)
      .map((message) => message.id);
    const ids = receiver.delivered.map((delivery) => delivery.id);
    expect(ids).toHaveLength(sendable.length);
    expect(new Set(ids)).toEqual(new Set(sendable));
    expect(receiver.replays).toBe(0);
    expect(receiver.refusals).toEqual([]);
    const counts = await store.outbox.countByStatus();
    expect(counts).toEqual({
      pending: 0,
      sending: 0,
      sent: sendable.length,
      rejected: MESSAGES - sendable.length,
      dead: 0,
    });
    expect(settledCount(counts)).toBe(MESSAGES);
    expect(new Set(eventsNamed(recorded, 'message.rejected').map((event) => event.reason))).toEqual(
      new Set(['the webhook receiver answered HTTP 410']),
    );
  });
});
