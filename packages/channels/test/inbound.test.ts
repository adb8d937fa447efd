// What comes back from channels: opt-outs and "TD" replies protect the customer from the next
// marketing message, receipts are recorded, and a manager's outcome is the contact record.
import { createMemoryStore, type KequnStore } from '@kequn/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, isOptOutReply, type Dispatcher } from '../src/index.js';
import { FakeClock, ScriptedAdapter, reachableCustomers, seedStore, smsMessage } from './fixtures.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('inbound events', () => {
  let store: KequnStore;
  let clock: FakeClock;
  let sms: ScriptedAdapter;
  let dispatcher: Dispatcher;
  const customers = reachableCustomers(5);

  beforeEach(async () => {
    store = createMemoryStore();
    clock = new FakeClock();
    await seedStore(store, customers);
    sms = new ScriptedAdapter(clock);
    dispatcher = createDispatcher({ store, channels: { sms: { id: 'gateway-sms', adapter: sms }, phone: { id: 'tasks', adapter: new ScriptedAdapter(clock) } }, clock: clock.now, sleep: clock.sleep, logger: quiet });
  });

  it('recognises unsubscribe replies however they are typed', () => {
    for (const reply of ['TD', ' td ', 'ＴＤ', 't', '退订', 'Stop']) expect(isOptOutReply(reply)).toBe(true);
    for (const reply of ['TDD', '好的', 'stop it', '']) expect(isOptOutReply(reply)).toBe(false);
  });

  it('turns a "TD" reply to a sent SMS into a withdrawn consent, audited, that stops the next marketing SMS', async () => {
    await store.outbox.enqueue([smsMessage('first', 'C0002', clock.iso())]);
    await dispatcher.runUntilIdle();
    // The gateway names only the phone number the reply came from.
    sms.emit({ type: 'reply', channel: 'gateway-sms', address: '13812340002', text: 'TD', at: clock.iso(1_000) });
    await expect.poll(async () => (await store.customers.get('C0002'))?.consents.at(-1)).toEqual({ channel: 'sms', purpose: 'marketing', granted: false, recordedAt: clock.iso(1_000) });
    const audit = await store.auditLog.list({ subject: 'customer:C0002' });
    expect(audit).toEqual([expect.objectContaining({ actor: 'channel:gateway-sms', action: 'update', details: expect.objectContaining({ change: 'consent_withdrawn', channel: 'sms', via: 'reply' }) })]);
    expect(JSON.stringify(audit)).not.toContain('13812340002');

    clock.ms += 60_000;
    await store.outbox.enqueue([smsMessage('second', 'C0002', clock.iso())]);
    await dispatcher.runUntilIdle();
    expect(await store.outbox.get('second')).toMatchObject({ status: 'rejected', reason: 'consent_missing' });
    expect(sms.calls.map((call) => call.key)).toEqual(['first']);
  });

  it('records an opt-out once, and reports one it cannot match', async () => {
    const event = { type: 'opt_out' as const, channel: 'sms', customerId: 'C0001', at: clock.iso(), detail: 'unsubscribe link' };
    expect(await dispatcher.handleInbound(event)).toEqual({ handled: true, action: 'consent_withdrawn', customerId: 'C0001' });
    expect(await dispatcher.handleInbound(event)).toEqual({ handled: true, action: 'already_withdrawn', customerId: 'C0001' });
    const unmatched: unknown[] = [];
    dispatcher.on('inbound.unmatched', (e) => unmatched.push(e));
    expect(await dispatcher.handleInbound({ type: 'opt_out', channel: 'sms', address: '13900000000', at: clock.iso() })).toEqual({ handled: false, reason: 'unknown_customer' });
    expect(await dispatcher.handleInbound({ type: 'opt_out', channel: 'fax', customerId: 'C0001', at: clock.iso() })).toEqual({ handled: false, reason: 'unknown_channel' });
    expect(unmatched).toHaveLength(2);
  });

  it('keeps other replies for the bank and records delivery receipts', async () => {
    const replies: unknown[] = [];
    dispatcher.on('inbound.reply', (e) => replies.push(e));
    expect(await dispatcher.handleInbound({ type: 'reply', channel: 'sms', customerId: 'C0001', text: '好的，周六见', at: clock.iso() })).toMatchObject({ action: 'reply_received' });
    expect(replies).toEqual([expect.objectContaining({ customerId: 'C0001', text: '好的，周六见' })]);
    expect(await dispatcher.handleInbound({ type: 'receipt', channel: 'gateway-sms', idempotencyKey: 'first', providerMessageId: 'gw-1', status: 'delivered', at: clock.iso() })).toMatchObject({
      action: 'receipt_recorded',
    });
    expect(await store.auditLog.list({ subject: 'outbox:first' })).toEqual([expect.objectContaining({ details: { receipt: 'delivered', providerMessageId: 'gw-1' } })]);
  });

  it('makes a manager’s task outcome the contact record, and an opted-out outcome a withdrawal', async () => {
    await store.outbox.enqueue([{ ...smsMessage('call-1', 'C0003', clock.iso(), { campaignId: 'maturity-2026q2' }), channel: 'phone' }]);
    await dispatcher.runUntilIdle();
    await dispatcher.handleInbound({ type: 'task_outcome', channel: 'tasks', idempotencyKey: 'call-1', customerId: 'C0003', managerId: 'M-RECEIVER', outcome: 'opted_out', at: clock.iso(), note: '客户要求不再来电' });
    expect(await store.contactRecords.listByCustomer('C0003')).toEqual([
      expect.objectContaining({ id: 'task:call-1', channel: 'phone', purpose: 'marketing', outcome: 'opted_out', managerId: 'M-RECEIVER', campaignId: 'maturity-2026q2' }),
    ]);
    expect((await store.customers.get('C0003'))?.consents.at(-1)).toMatchObject({ channel: 'phone', purpose: 'marketing', granted: false });
  });
});
