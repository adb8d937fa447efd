// The real dispatcher, a SQLite file and the loopback SMS gateway: a failing gateway is retried,
// paused by the circuit breaker (reported), probed and resumed once it is back; a lost answer is
// resent and dropped by the gateway's serial-number check; every outbox row ends sent, rejected or
// dead-lettered, and a dead letter replayed after the outage goes out once.
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
import type { Customer } from '@kequn/core';
import { openSqliteStore, type SqliteStore } from '@kequn/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmsAdapter, smsSettingsSchema } from '../src/index.js';
import {
  loopbackBatchMapping,
  loopbackGatewayMapping,
  startLoopbackSmsGateway,
  type LoopbackSmsGateway,
} from '../src/testing/index.js';

const secret = 'gateway-shared-secret-0123456789';
const MESSAGES = 60;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  customers: Customer[],
): Promise<{ store: SqliteStore; gateway: LoopbackSmsGateway }> {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-sms-dispatch-'));
  const store = await openSqliteStore({ path: join(folder, 'outbox.db') });
  const gateway = await startLoopbackSmsGateway({ auth: { type: 'hmac', secret } });
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  cleanups.push(() => gateway.close());
  await seedReachableCustomers(store, customers);
  return { store, gateway };
}

function smsAdapter(gateway: LoopbackSmsGateway) {
  return createSmsAdapter(
    smsSettingsSchema.parse({
      url: gateway.url,
      auth: { type: 'hmac', secret },
      signName: '客群银行',
      timeoutMs: 300,
      ...loopbackGatewayMapping,
    }),
  );
}

describe('dispatching to the loopback SMS gateway', () => {
  it('retries, pauses the channel, recovers, and neither sends twice nor loses a message', async () => {
    const customers = reachableCustomers(30);
    const [badNumber, withdrawn] = [customers[5], customers[6]];
    if (badNumber === undefined || withdrawn === undefined) throw new Error('fixture');
    customers[5] = { ...badNumber, profile: { ...badNumber.profile, phone: '12345' } };
    customers[6] = { ...withdrawn, consents: [] };
    const { store, gateway } = await setUp(customers);
    const clock = new TestClock();
    const queued = testMessages({
      channel: 'sms',
      count: MESSAGES,
      customers,
      createdAt: clock.iso(),
    });
    await store.outbox.enqueue(queued);

    const dispatcher = createDispatcher({
      store,
      channels: { sms: { id: 'sms', adapter: smsAdapter(gateway) } },
      clock: clock.now,
      sleep: clock.sleep,
      random: seededRandom(3),
      logger: quietLogger,
      // One send at a time, so that which sends fail is the same in every run.
      concurrency: 1,
      retry: { maxAttempts: 6, baseMs: 1_000, maxMs: 30_000 },
      breaker: { failureThreshold: 3, coolDownMs: 20_000 },
    });
    cleanups.push(() => dispatcher.close());
    const recorded = recordDispatcherEvents(dispatcher);

    // Three 503s open the circuit; during the cool-down the gateway goes down, so the probe fails
    // and the circuit opens again; during the second cool-down it comes back.
    gateway.failNext(3, { status: 503, retryAfterSec: 2 });
    clock.whileAsleep = outageDuringCoolDowns(recorded, gateway);
    // Once it sends again, one answer is lost (the gateway sends, the adapter times out).
    dispatcher.on('channel.breakerClosed', () => gateway.stallNext(1, 800));

    const summary = await dispatcher.runUntilIdle();

    const opened = eventsNamed(recorded, 'channel.breakerOpened');
    expect(opened).toHaveLength(2);
    expect(opened[0]).toMatchObject({
      channel: 'sms',
      adapterId: 'sms',
      failures: 3,
      lastError: 'the SMS gateway answered HTTP 503',
    });
    expect(opened[1]?.lastError).toMatch(/^could not reach the SMS gateway/);
    expect(eventsNamed(recorded, 'channel.breakerClosed')).toHaveLength(1);
    expect(summary.retried).toBeGreaterThanOrEqual(5);

    const unsendable = new Set([customers[5]?.id, customers[6]?.id]);
    const sendable = queued
      .filter((message) => !unsendable.has(message.customerId))
      .map((message) => message.id);
    // Nothing sent twice: one delivery per serial number, and the lost answer's resend was dropped.
    const keys = gateway.delivered.map((sms) => sms.serialNo);
    expect(keys).toHaveLength(sendable.length);
    expect(new Set(keys)).toEqual(new Set(sendable));
    expect(gateway.duplicates).toBe(1);
    // Nothing lost: every row has left the queue.
    const counts = await store.outbox.countByStatus();
    expect(counts).toEqual({
      pending: 0,
      sending: 0,
      sent: sendable.length,
      rejected: MESSAGES - sendable.length,
      dead: 0,
    });
    expect(settledCount(counts)).toBe(MESSAGES);
    const rejections = eventsNamed(recorded, 'message.rejected');
    expect(
      new Set(
        rejections
          .filter((event) => event.customerId === customers[6]?.id)
          .map((event) => event.reason),
      ),
    ).toEqual(new Set(['consent_missing']));
    expect(
      new Set(
        rejections
          .filter((event) => event.customerId === customers[5]?.id)
          .map((event) => event.reason),
      ),
    ).toEqual(
      new Set(['the SMS gateway refused the message with code 1001 (invalid mobile number)']),
    );
    // The texts went out masked: SMS is not a secure channel.
    expect(gateway.delivered.find((sms) => sms.serialNo === sendable[0])?.content).toBe(
      '张*明，诚邀您参加本周六理财沙龙。',
    );
  });

  it('sends in batches where the gateway takes them: a failed batch is retried whole, nothing twice, nothing lost', async () => {
    const customers = reachableCustomers(40);
    const badNumber = customers[3];
    if (badNumber === undefined) throw new Error('fixture');
    customers[3] = { ...badNumber, profile: { ...badNumber.profile, phone: '12345' } };
    const { store, gateway } = await setUp(customers);
    const clock = new TestClock();
    const queued = testMessages({ channel: 'sms', count: 400, customers, createdAt: clock.iso() });
    await store.outbox.enqueue(queued);
    const adapter = createSmsAdapter(
      smsSettingsSchema.parse({
        url: gateway.url,
        auth: { type: 'hmac', secret },
        signName: '客群银行',
        timeoutMs: 2_000,
        // Above what 400 messages need: the rate limit is not what this test is about.
        ratePerSecond: 100_000,
        ...loopbackGatewayMapping,
        batch: { url: gateway.batchUrl, ...loopbackBatchMapping, maxSize: 50 },
      }),
    );
    const dispatcher = createDispatcher({
      store,
      channels: { sms: { id: 'sms', adapter } },
      clock: clock.now,
      sleep: clock.sleep,
      random: seededRandom(7),
      logger: quietLogger,
      batchSize: 200,
      concurrency: 100,
      retry: { maxAttempts: 5, baseMs: 1_000, maxMs: 5_000 },
    });
    cleanups.push(() => dispatcher.close());
    const recorded = recordDispatcherEvents(dispatcher);
    // The first batch meets an outage: its 50 messages are retried, not lost, not sent twice.
    gateway.failNext(1);

    const summary = await dispatcher.runUntilIdle();

    const bad = new Set(queued.filter((message) => message.customerId === badNumber.id).map((message) => message.id));
    expect(summary).toMatchObject({ sent: 400 - bad.size, rejected: bad.size, retried: 50, deadLettered: 0 });
    const keys = gateway.delivered.map((sms) => sms.serialNo);
    expect(keys).toHaveLength(400 - bad.size);
    expect(new Set(keys)).toEqual(new Set(queued.map((message) => message.id).filter((id) => !bad.has(id))));
    expect(gateway.duplicates).toBe(0);
    // The first sends went 50 to a request (8 requests for 400, one of them failed); the 50 retries
    // come due one by one (full jitter), so each may go alone: at most 58 requests, not 450.
    expect(gateway.requests).toBeGreaterThanOrEqual(9);
    expect(gateway.requests).toBeLessThanOrEqual(8 + 50);
    expect(await store.outbox.countByStatus()).toEqual({ pending: 0, sending: 0, sent: 400 - bad.size, rejected: bad.size, dead: 0 });
    expect(eventsNamed(recorded, 'message.rejected').every((event) => event.reason.includes('1001'))).toBe(true);
  });

  it('dead-letters a long outage, and a replay after it sends each message once', async () => {
    const customers = reachableCustomers(10);
    const { store, gateway } = await setUp(customers);
    const clock = new TestClock();
    await store.outbox.enqueue(
      testMessages({ channel: 'sms', count: 20, customers, createdAt: clock.iso() }),
    );
    await gateway.down();

    const dispatcher = createDispatcher({
      store,
      channels: { sms: smsAdapter(gateway) },
      clock: clock.now,
      sleep: clock.sleep,
      random: seededRandom(5),
      logger: quietLogger,
      concurrency: 1,
      retry: { maxAttempts: 10, baseMs: 1_000, maxMs: 10_000 },
      breaker: { failureThreshold: 2, coolDownMs: 10_000, deadLetterAfterOpenMs: 60_000 },
    });
    cleanups.push(() => dispatcher.close());
    const recorded = recordDispatcherEvents(dispatcher);

    expect(await dispatcher.runUntilIdle()).toMatchObject({ sent: 0, deadLettered: 20 });
    expect(await store.outbox.countByStatus()).toMatchObject({ pending: 0, sending: 0, dead: 20 });
    const letters = await dispatcher.deadLetters({ limit: 100 });
    expect(
      letters.filter((letter) =>
        letter.reason?.startsWith('channel_unavailable: sms has failed since'),
      ),
    ).not.toHaveLength(0);
    expect(eventsNamed(recorded, 'channel.breakerOpened').length).toBeGreaterThanOrEqual(2);

    await gateway.up();
    for (const letter of letters) await dispatcher.replay(letter.id, 'ops:zhao');
    clock.ms += 10_000;
    expect(await dispatcher.runUntilIdle()).toMatchObject({ sent: 20, deadLettered: 0 });
    expect(gateway.delivered).toHaveLength(20);
    expect(new Set(gateway.delivered.map((sms) => sms.serialNo)).size).toBe(20);
    expect(gateway.duplicates).toBe(0);
    expect(await store.outbox.countByStatus()).toEqual({
      pending: 0,
      sending: 0,
      sent: 20,
      rejected: 0,
      dead: 0,
    });
    expect(eventsNamed(recorded, 'channel.breakerClosed')).toHaveLength(1);
  });
});
