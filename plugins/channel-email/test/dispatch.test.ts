// The real dispatcher, a SQLite file and the loopback SMTP relay: rich messages go out with an
// html part rendered from the template, once per Message-ID; a relay answering 4xx is retried, a
// 5xx refusal is final, and every outbox row ends sent or rejected.
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
  salonInvitation,
  seedReachableCustomers,
  testMessages,
} from '@kequn/channels/testing';
import type { Customer } from '@kequn/core';
import { openSqliteStore, type SqliteStore } from '@kequn/store-sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailAdapter, emailSettingsSchema, messageIdFor } from '../src/index.js';
import { startSmtpPeer, type SmtpPeer } from './smtp-peer.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The invitation with an html body; its variables are HTML-escaped when rendered. */
const richInvitation = {
  ...salonInvitation,
  html: {
    'zh-CN': '<h1>Wealth salon</h1><p>{{name}}, see you on Saturday.</p>',
    en: '<h1>Wealth salon</h1><p>{{name}}, see you on Saturday.</p>',
  },
};

async function setUp(
  customers: Customer[],
): Promise<{
  store: SqliteStore;
  relay: SmtpPeer;
  clock: TestClock;
  dispatcher: ReturnType<typeof createDispatcher>;
}> {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-email-dispatch-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const store = await openSqliteStore({ path: join(folder, 'outbox.db') });
  cleanups.push(() => store.close());
  const relay = await startSmtpPeer();
  cleanups.push(() => relay.close());
  await seedReachableCustomers(store, customers);
  const adapter = createEmailAdapter(
    emailSettingsSchema.parse({
      host: '127.0.0.1',
      port: relay.port,
      tls: 'none',
      from: { address: 'service@bank.example', name: '客群银行' },
      timeoutMs: 2_000,
    }),
  );
  cleanups.push(() => adapter.dispose());
  const clock = new TestClock();
  const dispatcher = createDispatcher({
    store,
    channels: { email: { id: 'email', adapter } },
    clock: clock.now,
    sleep: clock.sleep,
    random: seededRandom(4),
    logger: quietLogger,
    concurrency: 2,
    retry: { maxAttempts: 5, baseMs: 1_000, maxMs: 30_000 },
    breaker: { failureThreshold: 10, coolDownMs: 10_000 },
  });
  cleanups.push(() => dispatcher.close());
  return { store, relay, clock, dispatcher };
}

describe('dispatching e-mail to the loopback SMTP relay', () => {
  it('sends each message once with its html part', async () => {
    const customers = reachableCustomers(12);
    const { store, relay, clock, dispatcher } = await setUp(customers);
    const queued = testMessages({
      channel: 'email',
      count: 12,
      customers,
      createdAt: clock.iso(),
      template: richInvitation,
    });
    await store.outbox.enqueue(queued);

    expect(await dispatcher.runUntilIdle()).toEqual({
      sent: 12,
      rejected: 0,
      retried: 0,
      deadLettered: 0,
    });
    expect(relay.received.map((mail) => mail.messageId).sort()).toEqual(
      queued.map((message) => messageIdFor(message.id, 'bank.example')).sort(),
    );
    expect(relay.duplicates).toBe(0);
    const first = relay.received.find((mail) => mail.to.includes('customer0@example.com'));
    expect(first?.raw).toContain('text/html');
    expect(first?.raw).toContain('<h1>Wealth salon</h1>');
    expect(await store.outbox.countByStatus()).toEqual({
      pending: 0,
      sending: 0,
      sent: 12,
      rejected: 0,
      dead: 0,
    });
  });

  it('retries a relay that answers 451, and takes a 550 refusal as final', async () => {
    const customers = reachableCustomers(10);
    const closed = customers[2];
    if (closed === undefined) throw new Error('fixture');
    customers[2] = { ...closed, profile: { ...closed.profile, email: 'gone@closed.example' } };
    const { store, relay, clock, dispatcher } = await setUp(customers);
    const recorded = recordDispatcherEvents(dispatcher);
    const queued = testMessages({ channel: 'email', count: 20, customers, createdAt: clock.iso() });
    await store.outbox.enqueue(queued);
    relay.failNext(3);

    const summary = await dispatcher.runUntilIdle();

    expect(summary).toMatchObject({ sent: 18, rejected: 2, deadLettered: 0 });
    expect(summary.retried).toBe(3);
    expect(eventsNamed(recorded, 'message.retryScheduled').map((event) => event.error)).toEqual(
      Array.from({ length: 3 }, () => expect.stringContaining('451')),
    );
    expect(relay.received).toHaveLength(18);
    expect(new Set(relay.received.map((mail) => mail.messageId)).size).toBe(18);
    expect(relay.duplicates).toBe(0);
    expect(await store.outbox.countByStatus()).toEqual({
      pending: 0,
      sending: 0,
      sent: 18,
      rejected: 2,
      dead: 0,
    });
  });
});
