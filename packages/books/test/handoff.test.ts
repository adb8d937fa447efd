import { afterEach, describe, expect, it } from 'vitest';
import { HandoffActorError, HandoffStepError } from '../src/index.js';
import { bookFixture, managerOf, midCustomer, upgraded, type BookFixture } from './fixtures.js';

let fixture: BookFixture | undefined;
afterEach(async () => {
  await fixture?.test.dispose();
  fixture = undefined;
});

async function openedCase(current: BookFixture) {
  const customer = midCustomer(current);
  current.service.watchTierChanges();
  const opened = current.test.record('handoff.opened');
  current.test.model.upsert(upgraded(customer));
  await current.service.settled();
  expect(opened).toHaveLength(1);
  const caseId = opened[0]?.caseId ?? '';
  const sender = customer.relationshipManagerId ?? '';
  const receiver = managerOf(current.managers, customer.branchId, 'vip_wealth_manager');
  const operations = managerOf(current.managers, customer.branchId, 'operations_manager');
  return { customer, caseId, sender, receiver, operations };
}

describe('the upgrade hand-off (提升移交)', () => {
  it('runs end to end: open on upgrade → file → approve → introduction queued → first contact → closed → archived', async () => {
    fixture = await bookFixture({ customers: 400 });
    const { customer, caseId, sender, receiver, operations } = await openedCase(fixture);
    const steps = ['handoff.filed', 'handoff.approved', 'handoff.introductionQueued', 'handoff.firstContactMade', 'handoff.closed', 'handoff.archived'] as const;
    const seen = steps.map((step) => fixture?.test.record(step) ?? []);

    const opened = await fixture.service.handoff(caseId);
    expect(opened).toMatchObject({ status: 'opened', senderId: sender, toTier: 'high_end' });
    expect(opened.basis).toBeGreaterThanOrEqual(500_000);

    const filed = await fixture.service.fileHandoff(caseId, { by: sender, receiverId: receiver.id, at: '2026-11-02T10:00:00+08:00' });
    expect(filed.status).toBe('filed');
    expect(filed.customerFile).toMatchObject({ customerId: customer.id, tier: 'high_end' });
    expect(JSON.stringify(filed.customerFile)).not.toContain(customer.profile.phone);

    // Approved on Friday 6 November: two business days later is Tuesday 10 November.
    const approved = await fixture.service.approveHandoff(caseId, { by: operations.id, at: '2026-11-06T15:00:00+08:00' });
    expect(approved).toMatchObject({ status: 'awaiting_first_contact', firstContactDue: '2026-11-10' });
    const message = await fixture.records.outbox.get(approved.introductionMessageId ?? '');
    expect(message).toMatchObject({ customerId: customer.id, status: 'pending', purpose: 'service', payload: { senderId: sender, receiverId: receiver.id } });
    expect((await fixture.directory.get(customer.id))?.relationshipManagerId).toBe(receiver.id);

    await fixture.service.recordContact({ id: 'contact-1', customerId: customer.id, managerId: receiver.id, channel: 'phone', outcome: 'reached', occurredAt: '2026-11-09T09:30:00+08:00' });
    const closed = await fixture.service.handoff(caseId);
    expect(closed).toMatchObject({ status: 'closed', firstContact: { withinSla: true, contactId: 'contact-1' } });
    expect(await fixture.service.overdueHandoffs('2026-11-20')).toEqual([]);

    const archived = await fixture.service.archiveHandoff(caseId, { by: operations.id, at: '2026-11-30T18:00:00+08:00' });
    expect(archived.status).toBe('archived');
    expect(seen.map((events) => events.length)).toEqual([1, 1, 1, 1, 1, 1]);

    const trail = await fixture.records.auditLog.list({ subject: `handoff:${caseId}` });
    expect(trail.map((entry) => entry.details?.['step'])).toEqual(['open', 'file', 'approve', 'first_contact', 'archive']);
    expect(fixture.test.errors()).toEqual([]);
  });

  it('records a rejection with its reason, keeps the customer with the sender and can archive it', async () => {
    fixture = await bookFixture({ customers: 400 });
    const { customer, caseId, sender, receiver, operations } = await openedCase(fixture);
    await fixture.service.fileHandoff(caseId, { by: sender, receiverId: receiver.id, at: '2026-11-02T10:00:00+08:00' });
    const rejections = fixture.test.record('handoff.rejected');
    const rejected = await fixture.service.rejectHandoff(caseId, { by: operations.id, at: '2026-11-03T10:00:00+08:00', reason: 'balance is a one-off transfer' });
    expect(rejected).toMatchObject({ status: 'rejected', rejection: { by: operations.id, reason: 'balance is a one-off transfer' } });
    expect(rejections).toHaveLength(1);
    expect((await fixture.directory.get(customer.id))?.relationshipManagerId).toBe(sender);
    expect(await fixture.records.outbox.pending()).toEqual([]);
    await expect(fixture.service.approveHandoff(caseId, { by: operations.id, at: '2026-11-04T10:00:00+08:00' })).rejects.toBeInstanceOf(HandoffStepError);
    expect((await fixture.service.archiveHandoff(caseId, { by: operations.id, at: '2026-11-05T10:00:00+08:00' })).status).toBe('archived');
  });

  it('lists an overdue first contact, reports the breach once, and counts a late contact as outside the SLA', async () => {
    fixture = await bookFixture({ customers: 400 });
    const { customer, caseId, sender, receiver, operations } = await openedCase(fixture);
    await fixture.service.fileHandoff(caseId, { by: sender, receiverId: receiver.id, at: '2026-11-02T10:00:00+08:00' });
    await fixture.service.approveHandoff(caseId, { by: operations.id, at: '2026-11-02T11:00:00+08:00' });
    expect(await fixture.service.overdueHandoffs('2026-11-04')).toEqual([]);
    expect((await fixture.service.overdueHandoffs('2026-11-05')).map((handoff) => handoff.id)).toEqual([caseId]);

    const breaches = fixture.test.record('handoff.slaBreached');
    expect(await fixture.service.checkHandoffSla('2026-11-05T08:00:00+08:00')).toHaveLength(1);
    expect(await fixture.service.checkHandoffSla('2026-11-06T08:00:00+08:00')).toHaveLength(0);
    expect(breaches).toEqual([expect.objectContaining({ caseId, firstContactDue: '2026-11-04', receiverId: receiver.id })]);

    await fixture.service.recordContact({ id: 'late', customerId: customer.id, managerId: receiver.id, channel: 'phone', outcome: 'reached', occurredAt: '2026-11-06T09:00:00+08:00' });
    expect(await fixture.service.handoff(caseId)).toMatchObject({ status: 'closed', firstContact: { withinSla: false }, slaBreachedOn: '2026-11-05' });
  });

  it('lets only the sending manager file and only an approver role approve', async () => {
    fixture = await bookFixture({ customers: 400 });
    const { caseId, sender, receiver } = await openedCase(fixture);
    await expect(fixture.service.fileHandoff(caseId, { by: receiver.id, receiverId: receiver.id, at: '2026-11-02T10:00:00+08:00' })).rejects.toBeInstanceOf(HandoffActorError);
    await fixture.service.fileHandoff(caseId, { by: sender, receiverId: receiver.id, at: '2026-11-02T10:00:00+08:00' });
    await expect(fixture.service.approveHandoff(caseId, { by: sender, at: '2026-11-02T11:00:00+08:00' })).rejects.toMatchObject({ code: 'KQ_BOOKS_APPROVER_NOT_ALLOWED' });
  });

  it('hands over only to a receiving role, and never a customer a VIP wealth manager already holds', async () => {
    fixture = await bookFixture({ customers: 400 });
    const { customer, caseId, sender } = await openedCase(fixture);
    const counter = managerOf(fixture.managers, customer.branchId, 'counter_wealth_manager');
    await expect(fixture.service.fileHandoff(caseId, { by: sender, receiverId: counter.id, at: '2026-11-02T10:00:00+08:00' })).rejects.toMatchObject({ code: 'KQ_BOOKS_HANDOFF_ACTOR' });
    const held = await fixture.service.openHandoff({ customerId: customer.id, fromTier: 'mid', toTier: 'high_end', basis: 600_000, at: '2026-11-02T00:00:00Z' });
    expect(held?.id).toBe(caseId);
    const vips = new Set(fixture.managers.filter((manager) => manager.role === 'vip_wealth_manager').map((manager) => manager.id));
    const other = fixture.customers.find((candidate) => vips.has(candidate.relationshipManagerId ?? ''));
    if (other === undefined) throw new Error('the VIP wealth manager holds nobody in the fixture');
    expect(await fixture.service.openHandoff({ customerId: other.id, fromTier: 'mid', toTier: 'high_end', basis: 600_000, at: '2026-11-02T00:00:00Z' })).toBeUndefined();
  });

  it('opens a new case after an archived one, and reports a customer the directory does not know', async () => {
    fixture = await bookFixture({ customers: 400 });
    const { customer, caseId, sender, receiver, operations } = await openedCase(fixture);
    await fixture.service.fileHandoff(caseId, { by: sender, receiverId: receiver.id, at: '2026-11-02T10:00:00+08:00' });
    await fixture.service.rejectHandoff(caseId, { by: operations.id, at: '2026-11-02T11:00:00+08:00', reason: 'not yet' });
    await fixture.service.archiveHandoff(caseId, { by: operations.id, at: '2026-11-02T12:00:00+08:00' });
    await fixture.directory.save([{ ...customer, relationshipManagerId: sender }]);
    const again = await fixture.service.openHandoff({ customerId: customer.id, fromTier: 'mid', toTier: 'high_end', basis: 600_000, at: '2026-10-31T18:00:00Z' });
    expect(again?.id).toBe(`${caseId}-2`);
    fixture.test.kernel.events.emit('tier.changed', { customerId: 'C-unknown', from: 'mid', to: 'high_end', direction: 'upgrade', basis: 700_000, asOf: '2026-11-01' });
    await expect(fixture.service.settled()).rejects.toMatchObject({ code: 'KQ_BOOKS_CUSTOMER_UNKNOWN' });
    await expect(fixture.service.settled()).resolves.toBeUndefined();
  });

  it('does not open a second case while one is in progress', async () => {
    fixture = await bookFixture({ customers: 400 });
    const { customer } = await openedCase(fixture);
    fixture.test.model.upsert(upgraded(upgraded(customer)));
    await fixture.service.settled();
    expect(await fixture.service.handoffs({ customerId: customer.id })).toHaveLength(1);
  });

  it("opens nothing when the basis stays below a bank's higher bar", async () => {
    fixture = await bookFixture({ customers: 400, settings: { handoff: { bar: 2_000_000 } } });
    fixture.service.watchTierChanges();
    const upgrades = fixture.test.record('tier.changed');
    fixture.test.model.upsert(upgraded(midCustomer(fixture)));
    await fixture.service.settled();
    expect(upgrades).toEqual([expect.objectContaining({ direction: 'upgrade', to: 'high_end' })]);
    expect(await fixture.service.handoffs()).toEqual([]);
  });
});
