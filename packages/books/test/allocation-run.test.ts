import { afterEach, describe, expect, it } from 'vitest';
import { abcdPlugin } from '@kequn/plugin-abcd';
import { dormantPlugin } from '@kequn/plugin-dormant';
import { assignmentSettingsSchema, createAllocationPolicy } from '@kequn/plugin-assignment';
import { AllocationRunStateError, ApproverNotAllowedError, classesFromModel, segmentMembers } from '../src/index.js';
import { bookFixture, managerOf, type BookFixture } from './fixtures.js';

const policy = createAllocationPolicy(assignmentSettingsSchema.parse({}));
let fixture: BookFixture | undefined;
afterEach(async () => {
  await fixture?.test.dispose();
  fixture = undefined;
});

async function current(customerId: string) {
  return (await fixture?.directory.get(customerId))?.relationshipManagerId;
}

describe('a monthly allocation run', () => {
  it('changes nobody until the operations manager approves, then applies and records the approval', async () => {
    fixture = await bookFixture({ customers: 1_500 });
    const operations = managerOf(fixture.managers, 'BR001', 'operations_manager');
    const run = await fixture.service.proposeAllocationRun({ month: '2026-11', by: operations.id, at: '2026-11-01T09:00:00+08:00', customers: fixture.customers, policy });
    const moving = run.proposals.filter((proposal) => proposal.kind !== 'kept');
    expect(moving.length).toBeGreaterThan(0);
    const sample = moving[0];
    expect(await current(sample?.customerId ?? '')).toBe(sample?.fromManagerId);

    await expect(fixture.service.applyAllocationRun(run.id, '2026-11-01T10:00:00+08:00')).rejects.toBeInstanceOf(AllocationRunStateError);
    const counter = managerOf(fixture.managers, 'BR001', 'counter_wealth_manager');
    await expect(fixture.service.approveAllocationRun(run.id, { by: counter.id, at: '2026-11-01T10:00:00+08:00' })).rejects.toBeInstanceOf(ApproverNotAllowedError);

    const approved = await fixture.service.approveAllocationRun(run.id, { by: operations.id, at: '2026-11-02T09:00:00+08:00' });
    expect(approved.approval).toEqual({ by: operations.id, at: '2026-11-02T09:00:00+08:00' });
    const applied = await fixture.service.applyAllocationRun(run.id, '2026-11-02T09:05:00+08:00');
    expect(applied.status).toBe('applied');
    for (const proposal of moving.slice(0, 50)) expect(await current(proposal.customerId)).toBe(proposal.toManagerId);
    expect(fixture.test.model.table.value(fixture.test.model.table.indexOf(sample?.customerId ?? '') ?? -1, 'relationshipManagerId')).toBe(sample?.toManagerId);
    expect(await fixture.service.assignmentsOf(sample?.customerId ?? '')).toEqual([expect.objectContaining({ source: 'allocation', reference: run.id, managerId: sample?.toManagerId })]);
    expect(await fixture.records.auditLog.list({ subject: `customer:${sample?.customerId ?? ''}` })).toEqual([
      expect.objectContaining({ action: 'assign', actor: `manager:${operations.id}` }),
    ]);
  });

  it('can be rejected, and a rejected run never applies', async () => {
    fixture = await bookFixture({ customers: 300 });
    const operations = managerOf(fixture.managers, 'BR001', 'operations_manager');
    const run = await fixture.service.proposeAllocationRun({ month: '2026-11', by: operations.id, at: '2026-11-01T09:00:00+08:00', customers: fixture.customers, policy });
    await fixture.service.rejectAllocationRun(run.id, { by: operations.id, at: '2026-11-01T10:00:00+08:00', reason: 'capacities are out of date' });
    await expect(fixture.service.applyAllocationRun(run.id, '2026-11-01T11:00:00+08:00')).rejects.toMatchObject({ code: 'KQ_BOOKS_RUN_STATE' });
    const second = await fixture.service.proposeAllocationRun({ month: '2026-11', by: operations.id, at: '2026-11-03T09:00:00+08:00', customers: fixture.customers, policy });
    expect(second.id).toBe('allocation-2026-11-02');
  });
});

describe('reclaim (收回)', () => {
  it('flags managed customers without an effective contact in three months, reclaims them and re-allocates to someone else', async () => {
    fixture = await bookFixture({ customers: 600 });
    const managed = fixture.customers.filter((customer) => customer.relationshipManagerId !== null && policy.targetOf(customer) !== undefined);
    const [kept, neglected] = managed;
    if (kept === undefined || neglected === undefined) throw new Error('the fixture needs two managed customers');
    await fixture.service.recordContact({ id: 'k1', customerId: kept.id, managerId: kept.relationshipManagerId ?? '', channel: 'phone', outcome: 'reached', occurredAt: '2026-10-15T10:00:00+08:00' });

    const flags = await fixture.service.reclaimCandidates([kept, neglected], '2026-11-01');
    expect(flags.map((flag) => flag.customerId)).toEqual([neglected.id]);

    const operations = managerOf(fixture.managers, neglected.branchId, 'operations_manager');
    const excluded = await fixture.service.reclaim({ customerIds: [neglected.id], by: operations.id, at: '2026-11-01T09:00:00+08:00' });
    expect(await current(neglected.id)).toBeNull();
    const reclaimed = await fixture.directory.get(neglected.id);
    if (reclaimed === undefined) throw new Error('reclaimed customer vanished');
    const run = await fixture.service.proposeAllocationRun({ month: '2026-11', by: operations.id, at: '2026-11-01T10:00:00+08:00', customers: [reclaimed], policy, excluded });
    expect(run.proposals).toEqual([expect.objectContaining({ customerId: neglected.id, kind: 'assigned' })]);
    expect(run.proposals[0]?.toManagerId).not.toBe(neglected.relationshipManagerId);
    // Freshly re-assigned, the customer is not flagged again straight away.
    await fixture.service.approveAllocationRun(run.id, { by: operations.id, at: '2026-11-01T11:00:00+08:00' });
    await fixture.service.applyAllocationRun(run.id, '2026-11-01T11:00:00+08:00');
    expect(await fixture.service.reclaimCandidates([(await fixture.directory.get(neglected.id)) ?? reclaimed], '2026-11-20')).toEqual([]);
  });
});

describe('contact plans from the ABCD and dormant plugins', () => {
  it('plans a manager’s book with the classes the kernel evaluates', async () => {
    fixture = await bookFixture({ customers: 800, plugins: [abcdPlugin, dormantPlugin] });
    const classes = await classesFromModel(fixture.test.model);
    const dormant = await segmentMembers(fixture.test.model, 'dormant', 'dormant');
    expect(classes.size).toBe(fixture.customers.length);
    expect(dormant.size).toBeGreaterThan(0);
    const managerId = fixture.customers.find((customer) => customer.relationshipManagerId !== null)?.relationshipManagerId ?? '';
    const book = fixture.customers.filter((customer) => customer.relationshipManagerId === managerId);
    const plan = await fixture.service.contactPlan({ managerId, asOf: '2026-11-02', book, classes, dormant });
    expect(plan.items).toHaveLength(book.length);
    for (const item of plan.items) expect(item.classId).toBe(classes.get(item.customerId));
  });
});
