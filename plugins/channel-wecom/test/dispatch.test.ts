// The real dispatcher, a SQLite file and the local WeCom server: each message becomes one task for
// the customer's relationship manager, shown unmasked (WeCom is declared secure); a busy answer
// (errcode -1) is retried, a customer outside the manager's contacts is refused for good, and every
// outbox row ends sent or rejected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher, seededRandom } from '@kequn/channels';
import {
  TestClock,
  eventsNamed,
  quietLogger,
  reachableCustomers,
  recordDispatcherEvents,
  seedReachableCustomers,
  testMessages,
} from '@kequn/channels/testing';
import type { Customer } from '@kequn/core';
import { openSqliteStore, type SqliteStore } from '@kequn/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createWecomAdapter, wecomSettingsSchema } from '../src/index.js';
import { startWecomServer, type WecomServer } from './wecom-server.js';

const corp = { corpId: 'ww0123456789abcdef', corpSecret: 'contact-secret' };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  customers: Customer[],
  contacts: string[],
): Promise<{
  store: SqliteStore;
  wecom: WecomServer;
  clock: TestClock;
  dispatcher: ReturnType<typeof createDispatcher>;
}> {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-wecom-dispatch-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const store = await openSqliteStore({ path: join(folder, 'outbox.db') });
  cleanups.push(() => store.close());
  // The customers' manager M-RECEIVER is the WeCom member "chenli".
  const wecom = await startWecomServer({ ...corp, contacts: { chenli: contacts } });
  cleanups.push(() => wecom.close());
  await seedReachableCustomers(store, customers);
  const adapter = createWecomAdapter(
    wecomSettingsSchema.parse({ ...corp, baseUrl: wecom.baseUrl, timeoutMs: 2_000 }),
    {
      resolveSender: (managerId) => (managerId === 'M-RECEIVER' ? 'chenli' : undefined),
    },
  );
  const clock = new TestClock();
  const dispatcher = createDispatcher({
    store,
    channels: { wecom: { id: 'wecom', adapter, secure: true } },
    clock: clock.now,
    sleep: clock.sleep,
    random: seededRandom(8),
    logger: quietLogger,
    concurrency: 1,
    retry: { maxAttempts: 5, baseMs: 1_000, maxMs: 30_000 },
    breaker: { failureThreshold: 10, coolDownMs: 10_000 },
  });
  cleanups.push(() => dispatcher.close());
  return { store, wecom, clock, dispatcher };
}

describe('dispatching WeCom messages to the local WeCom server', () => {
  it('creates one task per message, sent by the manager, unmasked', async () => {
    const customers = reachableCustomers(10);
    const { store, wecom, clock, dispatcher } = await setUp(
      customers,
      customers.map((customer) => customer.profile.wecomExternalUserId ?? ''),
    );
    await store.outbox.enqueue(
      testMessages({ channel: 'wecom', count: 10, customers, createdAt: clock.iso() }),
    );

    expect(await dispatcher.runUntilIdle()).toEqual({
      sent: 10,
      rejected: 0,
      retried: 0,
      deadLettered: 0,
    });
    expect(wecom.tasks).toHaveLength(10);
    expect(new Set(wecom.tasks.flatMap((task) => task.externalUserIds))).toEqual(
      new Set(customers.map((customer) => customer.profile.wecomExternalUserId)),
    );
    expect(wecom.tasks.every((task) => task.sender === 'chenli')).toBe(true);
    expect(wecom.tasks.find((task) => task.externalUserIds.includes('wm-0'))?.content).toBe(
      '张三明，诚邀您参加本周六理财沙龙。',
    );
    expect(wecom.duplicates).toBe(0);
    expect(wecom.tokensIssued).toBe(1);
    expect(await store.outbox.countByStatus()).toEqual({
      pending: 0,
      sending: 0,
      sent: 10,
      rejected: 0,
      dead: 0,
    });
  });

  it('retries a busy WeCom and refuses a customer outside the manager’s contacts for good', async () => {
    const customers = reachableCustomers(8);
    const contacts = customers
      .slice(1)
      .map((customer) => customer.profile.wecomExternalUserId ?? '');
    const { store, wecom, clock, dispatcher } = await setUp(customers, contacts);
    const recorded = recordDispatcherEvents(dispatcher);
    await store.outbox.enqueue(
      testMessages({ channel: 'wecom', count: 16, customers, createdAt: clock.iso() }),
    );
    wecom.errorNext(3, -1, 'system busy');

    const summary = await dispatcher.runUntilIdle();

    expect(summary).toMatchObject({ sent: 14, rejected: 2, retried: 3, deadLettered: 0 });
    expect(eventsNamed(recorded, 'message.retryScheduled').map((event) => event.error)).toEqual(
      Array.from({ length: 3 }, () => expect.stringContaining('-1')),
    );
    expect(eventsNamed(recorded, 'message.rejected').map((event) => event.customerId)).toEqual([
      customers[0]?.id,
      customers[0]?.id,
    ]);
    expect(wecom.tasks).toHaveLength(14);
    expect(wecom.duplicates).toBe(0);
    expect(await store.outbox.countByStatus()).toEqual({
      pending: 0,
      sending: 0,
      sent: 14,
      rejected: 2,
      dead: 0,
    });
  });
});
