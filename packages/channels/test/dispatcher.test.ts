// The dispatcher against a scripted adapter: what it renders and for whom, how it retries, pauses
// and recovers a failing channel, dead-letters and replays, and that it never sends twice nor loses
// a message.
import { createMemoryStore, type ChannelKind, type KequnStore, type OutboxStatusCounts } from '@kequn/core';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, seededRandom, type DispatcherEventMap, type DispatcherOptions } from '../src/index.js';
import { FakeClock, ScriptedAdapter, reachableCustomers, seedStore, smsMessage } from './fixtures.js';

function recordEvents(dispatcher: ReturnType<typeof createDispatcher>) {
  const seen: Array<{ name: keyof DispatcherEventMap; event: unknown }> = [];
  const names: Array<keyof DispatcherEventMap> = ['message.sent', 'message.rejected', 'message.retryScheduled', 'message.deadLettered', 'channel.breakerOpened', 'channel.breakerClosed'];
  for (const name of names) dispatcher.on(name, (event) => seen.push({ name, event }));
  return seen;
}

function settledCounts(counts: OutboxStatusCounts): number {
  return counts.sent + counts.rejected + counts.dead;
}

describe('dispatcher', () => {
  let store: KequnStore;
  let clock: FakeClock;
  const customers = reachableCustomers(40);

  beforeEach(async () => {
    store = createMemoryStore();
    clock = new FakeClock();
    await seedStore(store, customers);
  });

  function dispatcherWith(adapter: ScriptedAdapter, options: Partial<DispatcherOptions> = {}, channel: ChannelKind = 'sms') {
    return createDispatcher({
      store,
      channels: { [channel]: { id: `test-${channel}`, adapter } },
      clock: clock.now,
      sleep: clock.sleep,
      random: seededRandom(7),
      workerId: 'w-test',
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      ...options,
    });
  }

  it('renders the hand-off introduction from @kequn/books for the customer, masked on an insecure channel', async () => {
    const adapter = new ScriptedAdapter(clock);
    await store.outbox.enqueue([
      {
        id: 'handoff-introduction-H1',
        customerId: 'C0000',
        channel: 'sms',
        purpose: 'service',
        payload: { template: 'handoff.introduction', caseId: 'H1', senderId: 'M-SENDER', receiverId: 'M-RECEIVER', toTier: 'high_end' },
        createdAt: clock.iso(),
      },
    ]);
    const summary = await dispatcherWith(adapter).runUntilIdle();
    expect(summary).toEqual({ sent: 1, rejected: 0, retried: 0, deadLettered: 0 });
    const call = adapter.calls[0];
    expect(call?.message.text).toBe('张*明您好！为给您提供更专业的高端客户服务，您的专属客户经理已由王芳变更为陈立，陈立将尽快与您联系。感谢您一直以来的信任！');
    expect(call?.recipient).toEqual({ customerId: 'C0000', address: '13812340000' });
    expect(call?.key).toBe('handoff-introduction-H1');
    expect(await store.outbox.get('handoff-introduction-H1')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await store.contactRecords.listByCustomer('C0000')).toEqual([
      expect.objectContaining({ id: 'outbox:handoff-introduction-H1', channel: 'sms', purpose: 'service', outcome: 'reached' }),
    ]);
  });

  it('shows the name whole on a secure channel and writes in the customer’s language', async () => {
    const adapter = new ScriptedAdapter(clock);
    const english = customers[1];
    if (english === undefined) throw new Error('fixture');
    await store.customers.upsert([{ ...english, profile: { ...english.profile, name: 'Li Wei', preferredLocale: 'en' } }]);
    await store.outbox.enqueue([{ ...smsMessage('E1', english.id, clock.iso()), channel: 'email' }]);
    await dispatcherWith(adapter, { channels: { email: { adapter, secure: true } } }).runUntilIdle();
    expect(adapter.calls[0]?.message).toMatchObject({ kind: 'rich', locale: 'en', text: 'Li Wei, join our wealth salon this Saturday.' });
    expect(adapter.calls[0]?.recipient.address).toBe('customer1@example.com');
  });

  it('rejects for good what cannot be sent, naming why', async () => {
    const adapter = new ScriptedAdapter(clock, undefined, { maxLength: 70 });
    const [withdrawn, banned, noWecom] = [customers[2], customers[3], customers[4]];
    if (withdrawn === undefined || banned === undefined || noWecom === undefined) throw new Error('fixture');
    await store.outbox.enqueue([
      smsMessage('R-consent', withdrawn.id, clock.iso()),
      smsMessage('R-dnc', banned.id, clock.iso()),
      smsMessage('R-variable', 'C0005', clock.iso(), { template: { id: 'reward', text: { 'zh-CN': '{{name}}，您的{{rewardName}}已到账', en: '{{name}}: {{rewardName}} credited' } } }),
      smsMessage('R-long', 'C0006', clock.iso(), { template: { id: 'long', text: { 'zh-CN': '长'.repeat(71), en: 'long' } } }),
      smsMessage('R-template', 'C0007', clock.iso(), { template: 'no.such.template' }),
      smsMessage('R-customer', 'C-missing', clock.iso()),
      { ...smsMessage('R-address', noWecom.id, clock.iso()), channel: 'wecom' },
      smsMessage('R-payload', 'C0008', clock.iso(), { template: 42 }),
    ]);
    // Consent withdrawn and do-not-contact set after the messages were queued.
    await store.customers.upsert([
      { ...withdrawn, consents: [...withdrawn.consents, { channel: 'sms', purpose: 'marketing', granted: false, recordedAt: clock.iso() }] },
      { ...banned, doNotContact: true },
      { ...noWecom, profile: { ...noWecom.profile, wecomExternalUserId: undefined } },
    ]);
    const dispatcher = dispatcherWith(adapter, { channels: { sms: adapter, wecom: adapter } });
    const summary = await dispatcher.runUntilIdle();
    expect(summary.rejected).toBe(8);
    expect(adapter.calls).toEqual([]);
    const reasons = Object.fromEntries(
      await Promise.all(['R-consent', 'R-dnc', 'R-variable', 'R-long', 'R-template', 'R-customer', 'R-address', 'R-payload'].map(async (id) => [id, (await store.outbox.get(id))?.reason])),
    );
    expect(reasons).toEqual({
      'R-consent': 'consent_missing',
      'R-dnc': 'do_not_contact',
      'R-variable': 'missing_variable: rewardName',
      'R-long': 'too_long',
      'R-template': 'unknown_template',
      'R-customer': 'customer_not_found',
      'R-address': 'no_address',
      'R-payload': 'invalid_payload',
    });
  });

  it('retries with backoff, pauses a failing channel, probes it and recovers, sending each message once', async () => {
    const outageEnds = clock.ms + 120_000;
    const adapter = new ScriptedAdapter(clock, ({ at }) => (at < outageEnds ? { status: 'failed', reason: 'HTTP 503' } : { status: 'accepted' }));
    await store.outbox.enqueue(customers.slice(0, 30).map((customer, index) => smsMessage(`M${index}`, customer.id, clock.iso(index))));
    const dispatcher = dispatcherWith(adapter, {
      retry: { maxAttempts: 20, baseMs: 1_000, maxMs: 20_000 },
      breaker: { failureThreshold: 3, coolDownMs: 15_000 },
      concurrency: 1,
    });
    const events = recordEvents(dispatcher);
    const summary = await dispatcher.runUntilIdle();

    expect(summary.sent).toBe(30);
    expect(summary.deadLettered).toBe(0);
    const names = events.map(({ name }) => name);
    expect(names).toContain('message.retryScheduled');
    expect(names.indexOf('channel.breakerOpened')).toBeLessThan(names.lastIndexOf('channel.breakerClosed'));
    expect(events.find(({ name }) => name === 'channel.breakerOpened')?.event).toMatchObject({ channel: 'sms', adapterId: 'test-sms', failures: 3, lastError: 'HTTP 503' });
    // While open, only probes went out: never more than one failed call per cool-down.
    const failedWhileOpen = adapter.calls.filter((call) => call.result === 'failed').slice(3);
    for (let index = 1; index < failedWhileOpen.length; index += 1) {
      expect((failedWhileOpen[index]?.at ?? 0) - (failedWhileOpen[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(15_000);
    }
    expect(adapter.duplicates).toBe(0);
    expect([...adapter.accepted.keys()].sort()).toEqual(Array.from({ length: 30 }, (_, index) => `M${index}`).sort());
    expect(await store.outbox.countByStatus()).toEqual({ pending: 0, sending: 0, sent: 30, rejected: 0, dead: 0 });
  });

  it('honours the channel’s retryAfterMs over a shorter backoff', async () => {
    const adapter = new ScriptedAdapter(clock, ({ index }) => (index === 0 ? { status: 'failed', reason: 'rate limited', retryAfterMs: 90_000 } : { status: 'accepted' }));
    await store.outbox.enqueue([smsMessage('RA', 'C0001', clock.iso())]);
    const dispatcher = dispatcherWith(adapter, { retry: { baseMs: 10, maxMs: 100 } });
    const retries: Array<DispatcherEventMap['message.retryScheduled']> = [];
    dispatcher.on('message.retryScheduled', (event) => retries.push(event));
    const started = clock.ms;
    await dispatcher.runUntilIdle();
    expect(Date.parse(retries[0]?.nextAttemptAt ?? '')).toBe(started + 90_000);
    expect(adapter.calls[1]?.at).toBeGreaterThanOrEqual(started + 90_000);
  });

  it('dead-letters after the last attempt and sends again when a person replays it', async () => {
    let gatewayFixed = false;
    const adapter = new ScriptedAdapter(clock, () => (gatewayFixed ? { status: 'accepted' } : { status: 'failed', reason: 'HTTP 500' }));
    await store.outbox.enqueue([smsMessage('DL', 'C0001', clock.iso())]);
    const dispatcher = dispatcherWith(adapter, { retry: { maxAttempts: 3, baseMs: 100, maxMs: 1_000 }, breaker: { failureThreshold: 10 } });
    expect(await dispatcher.runUntilIdle()).toMatchObject({ sent: 0, retried: 2, deadLettered: 1 });
    expect(adapter.calls).toHaveLength(3);
    expect(await dispatcher.deadLetters()).toEqual([expect.objectContaining({ id: 'DL', attempts: 3, reason: 'max_attempts: HTTP 500' })]);

    gatewayFixed = true;
    await dispatcher.replay('DL', 'ops:zhao');
    await expect(dispatcher.replay('DL', 'ops:zhao')).rejects.toMatchObject({ code: 'KQ_DEAD_LETTER_NOT_FOUND' });
    expect(await dispatcher.runUntilIdle()).toMatchObject({ sent: 1 });
    expect(await store.outbox.get('DL')).toMatchObject({ status: 'sent', attempts: 1, replays: 1 });
    expect(await store.auditLog.list({ subject: 'outbox:DL' })).toEqual([
      expect.objectContaining({ actor: 'ops:zhao', action: 'update', details: expect.objectContaining({ change: 'dead_letter_replayed', reason: 'max_attempts: HTTP 500' }) }),
    ]);
  });

  it('dead-letters a channel’s messages once it has been down longer than the breaker policy allows', async () => {
    const adapter = new ScriptedAdapter(clock, () => ({ status: 'failed', reason: 'connection refused' }));
    await store.outbox.enqueue(customers.slice(0, 6).map((customer, index) => smsMessage(`X${index}`, customer.id, clock.iso())));
    const dispatcher = dispatcherWith(adapter, {
      retry: { maxAttempts: 50, baseMs: 1_000, maxMs: 5_000 },
      breaker: { failureThreshold: 2, coolDownMs: 10_000, deadLetterAfterOpenMs: 60_000 },
      concurrency: 1,
    });
    const summary = await dispatcher.runUntilIdle();
    expect(summary.sent).toBe(0);
    expect(summary.deadLettered).toBe(6);
    const letters = await dispatcher.deadLetters();
    expect(letters.every((letter) => letter.reason?.startsWith('channel_unavailable: test-sms has failed since'))).toBe(true);
  });

  it('hands a message whose worker died to the next worker once the lease ends', async () => {
    const adapter = new ScriptedAdapter(clock);
    await store.outbox.enqueue([smsMessage('L1', 'C0001', clock.iso())]);
    await store.outbox.claim({ workerId: 'killed-worker', now: clock.iso(), limit: 1, leaseMs: 30_000 });
    const dispatcher = dispatcherWith(adapter);
    expect(await dispatcher.runUntilIdle()).toMatchObject({ sent: 0 });
    const started = clock.ms;
    await dispatcher.runUntilIdle({ waitForLeases: true });
    expect(clock.ms - started).toBe(30_000);
    expect(adapter.calls[0]?.at).toBe(clock.ms);
    expect(clock.ms - Date.parse((await store.outbox.get('L1'))?.sentAt ?? '')).toBe(0);
    expect(await store.outbox.get('L1')).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('keeps to the channel’s rate, the lower of the adapter’s and the configured one', async () => {
    const adapter = new ScriptedAdapter(clock, undefined, { ratePerSecond: 50 });
    await store.outbox.enqueue(customers.slice(0, 40).map((customer, index) => smsMessage(`T${index}`, customer.id, clock.iso())));
    const start = clock.ms;
    await dispatcherWith(adapter, { rateLimits: { sms: 5 } }).runUntilIdle();
    expect(adapter.calls).toHaveLength(40);
    adapter.calls.forEach((call, index) => {
      // A full bucket of 5, then 5 a second.
      expect(index + 1).toBeLessThanOrEqual(5 + Math.floor(((call.at - start) / 1_000) * 5));
    });
  });

  it('ends every message sent, rejected or dead — once each — whatever the channel does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('accepted', 'failed', 'rejected', 'throws', 'slow-failed'), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 4 }), async (script, maxAttempts) => {
        const local = createMemoryStore();
        const localClock = new FakeClock();
        await seedStore(local, customers);
        const adapter = new ScriptedAdapter(localClock, ({ index }) => {
          const step = script[index % script.length];
          if (step === 'throws') throw new Error('socket hang up');
          if (step === 'failed') return { status: 'failed', reason: 'HTTP 502' };
          if (step === 'slow-failed') return { status: 'failed', reason: 'HTTP 429', retryAfterMs: 5_000 };
          if (step === 'rejected') return { status: 'rejected', reason: 'blocked number' };
          return { status: 'accepted' };
        });
        await local.outbox.enqueue(customers.slice(0, 12).map((customer, index) => smsMessage(`P${index}`, customer.id, localClock.iso())));
        const dispatcher = createDispatcher({
          store: local,
          channels: { sms: adapter },
          clock: localClock.now,
          sleep: localClock.sleep,
          random: seededRandom(script.length),
          retry: { maxAttempts, baseMs: 500, maxMs: 4_000 },
          breaker: { failureThreshold: 3, coolDownMs: 2_000 },
          logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
        });
        await dispatcher.runUntilIdle();
        const counts = await local.outbox.countByStatus();
        expect(settledCounts(counts)).toBe(12);
        expect(counts.sent).toBe(adapter.accepted.size);
        expect(adapter.duplicates).toBe(0);
        const keys = adapter.calls.filter((call) => call.result === 'accepted').map((call) => call.key);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 40 },
    );
  });

  it('lets two dispatchers drain one store without sending anything twice', async () => {
    const adapter = new ScriptedAdapter(clock, ({ index }) => (index % 5 === 4 ? { status: 'failed', reason: 'HTTP 503' } : { status: 'accepted' }));
    await store.outbox.enqueue(customers.map((customer, index) => smsMessage(`D${index}`, customer.id, clock.iso(index))));
    const options = { retry: { maxAttempts: 10, baseMs: 100, maxMs: 1_000 }, breaker: { failureThreshold: 50 }, batchSize: 7, concurrency: 3 };
    const first = dispatcherWith(adapter, { ...options, workerId: 'w-1' });
    const second = dispatcherWith(adapter, { ...options, workerId: 'w-2' });
    const sent = { 'w-1': 0, 'w-2': 0 };
    await Promise.all([first.runUntilIdle().then((s) => (sent['w-1'] = s.sent)), second.runUntilIdle().then((s) => (sent['w-2'] = s.sent))]);
    expect(sent['w-1'] + sent['w-2']).toBe(customers.length);
    expect(sent['w-1']).toBeGreaterThan(0);
    expect(sent['w-2']).toBeGreaterThan(0);
    expect(adapter.duplicates).toBe(0);
    expect(adapter.accepted.size).toBe(customers.length);
  });

  it('runs in the background until stopped', async () => {
    const adapter = new ScriptedAdapter({ now: Date.now });
    await store.outbox.enqueue([smsMessage('BG1', 'C0001', new Date().toISOString())]);
    const dispatcher = createDispatcher({ store, channels: { sms: adapter }, pollIntervalMs: 5 });
    const sent = new Promise((resolve) => dispatcher.on('message.sent', resolve));
    dispatcher.start();
    await sent;
    await dispatcher.close();
    expect(adapter.accepted.has('BG1')).toBe(true);
    expect(() => dispatcher.start()).toThrow(expect.objectContaining({ code: 'KQ_DISPATCHER_CLOSED' }));
  });

  it('sends through a batching adapter in batches, and retries a whole batch it could not classify', async () => {
    const adapter = new ScriptedAdapter(clock, () => ({ status: 'accepted' }), { maxBatchSize: 8 });
    const batches: number[] = [];
    let misbehaviour = 0;
    const batching = Object.assign(adapter, {
      sendBatch(items: ReadonlyArray<{ message: Parameters<ScriptedAdapter['send']>[0]; recipient: Parameters<ScriptedAdapter['send']>[1]; idempotencyKey: string }>) {
        batches.push(items.length);
        misbehaviour += 1;
        // The first batch throws before it returns a promise, the second answers for one message
        // too few: neither is classified.
        if (misbehaviour === 1) throw new Error('gateway client crashed');
        const answered = misbehaviour === 2;
        return Promise.all(items.map((item) => adapter.send(item.message, item.recipient, { idempotencyKey: item.idempotencyKey }))).then((results) => (answered ? results.slice(1) : results));
      },
    });
    await store.outbox.enqueue(customers.slice(0, 20).map((customer, index) => smsMessage(`B${String(index).padStart(2, '0')}`, customer.id, clock.iso())));
    const dispatcher = dispatcherWith(batching, { concurrency: 20, batchSize: 20, breaker: { failureThreshold: 5 } });
    const seen = recordEvents(dispatcher);
    const summary = await dispatcher.runUntilIdle();
    expect(summary).toMatchObject({ sent: 20, rejected: 0, deadLettered: 0, retried: 16 });
    expect(batches.slice(0, 3)).toEqual([8, 8, 4]);
    expect(Math.max(...batches)).toBeLessThanOrEqual(8);
    // The batch that answered for too few sent its messages; their retries were dropped by key.
    expect(adapter.accepted.size).toBe(20);
    expect(adapter.duplicates).toBe(8);
    const retried = seen.filter((entry) => entry.name === 'message.retryScheduled').map((entry) => (entry.event as { error: string }).error);
    expect(new Set(retried)).toEqual(new Set(['gateway client crashed', 'test-sms answered 7 results for a batch of 8']));
    expect(await store.outbox.countByStatus()).toEqual({ pending: 0, sending: 0, sent: 20, rejected: 0, dead: 0 });
  });

  it('refuses settings it cannot work with, naming them', () => {
    expect(() => createDispatcher({ store, channels: {}, retry: { maxAttempts: 0 } })).toThrow(/retry\.maxAttempts/);
  });
});
