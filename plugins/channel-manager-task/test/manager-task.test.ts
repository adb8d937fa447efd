// The human channel: a phone message becomes a call task for the customer's manager, and the
// outcome the manager records comes back through the dispatcher as the contact record.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '@kequn/channels';
import { createKernel, createMemoryStore, type Customer, type KequnStore } from '@kequn/core';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';
import { createSyntheticBank } from '@kequn/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createManagerTaskChannel, createManagerTaskPlugin, type ManagerTaskExports } from '../src/index.js';

const base = createSyntheticBank({ seed: 5, customers: 1 }).customerAt(0);
const customer: Customer = {
  ...base,
  id: 'C-TASK',
  relationshipManagerId: 'M0101',
  doNotContact: false,
  profile: { ...base.profile, name: '刘洋' },
  consents: [{ channel: 'phone', purpose: 'marketing', granted: true, recordedAt: '2026-01-01T00:00:00+08:00' }],
};
const now = Date.parse('2026-05-06T02:00:00Z');

async function queueCall(store: KequnStore, id: string): Promise<void> {
  await store.customers.upsert([customer]);
  await store.managers.upsert([{ id: 'M0101', name: '周敏', role: 'vip_wealth_manager', branchId: customer.branchId, capacity: 200 }]);
  await store.outbox.enqueue([
    {
      id,
      customerId: customer.id,
      channel: 'phone',
      purpose: 'marketing',
      createdAt: new Date(now).toISOString(),
      payload: {
        template: { id: 'maturity.call', text: { 'zh-CN': '致电{{name}}：定期存款下周到期，介绍三个月理财。', en: 'Call {{name}}: deposit matures next week.' } },
        campaignId: 'maturity-2026q2',
        data: { products: ['WM-3M'] },
      },
    },
  ]);
}

describe('manager task channel', () => {
  it('puts a call on the manager’s list and turns the recorded outcome into the contact record', async () => {
    const store = createMemoryStore();
    await queueCall(store, 'maturity-2026q2:C-TASK:call');
    const kernel = createKernel({ plugins: [createManagerTaskPlugin({ store, clock: () => now })], logSink: () => undefined });
    await kernel.start();
    const dispatcher = createDispatcher({ store, channels: kernel, clock: () => now, logger: kernel.logger });
    expect(await dispatcher.runUntilIdle()).toMatchObject({ sent: 1 });
    const { tasks } = kernel.exportsOf<ManagerTaskExports>('channel-manager-task');

    const open = await tasks.listOpenTasks('M0101');
    // A secure channel: the manager sees their customer's name whole.
    expect(open).toEqual([expect.objectContaining({ id: 'maturity-2026q2:C-TASK:call', kind: 'call', customerId: 'C-TASK', text: '致电刘洋：定期存款下周到期，介绍三个月理财。', data: { products: ['WM-3M'], campaignId: 'maturity-2026q2' } })]);
    expect(await store.contactRecords.listByCustomer('C-TASK')).toEqual([]);

    await expect(tasks.recordOutcome('maturity-2026q2:C-TASK:call', 'interested', 'M0999')).rejects.toMatchObject({ code: 'KQ_TASK_NOT_ASSIGNED' });
    await tasks.recordOutcome('maturity-2026q2:C-TASK:call', 'interested', 'M0101', { at: '2026-05-06T10:30:00+08:00', note: '约周六到店' });
    await expect.poll(() => store.contactRecords.listByCustomer('C-TASK')).toEqual([
      expect.objectContaining({ id: 'task:maturity-2026q2:C-TASK:call', channel: 'phone', outcome: 'interested', managerId: 'M0101', campaignId: 'maturity-2026q2', note: '约周六到店' }),
    ]);
    expect(await tasks.listOpenTasks('M0101')).toEqual([]);
    await expect(tasks.recordOutcome('maturity-2026q2:C-TASK:call', 'sold', 'M0101')).rejects.toMatchObject({ code: 'KQ_TASK_CLOSED' });
    await dispatcher.close();
    await kernel.dispose();
  });

  it('creates one task per message however often it is sent', async () => {
    const channel = await createManagerTaskChannel({ clock: () => now });
    const message = { kind: 'task' as const, templateId: 't', locale: 'zh-CN' as const, text: '回访' };
    await channel.adapters.branch.send(message, { customerId: 'C1', address: 'M1', managerId: 'M1' }, { idempotencyKey: 'k' });
    await channel.adapters.branch.send(message, { customerId: 'C1', address: 'M1', managerId: 'M1' }, { idempotencyKey: 'k' });
    expect(await channel.listOpenTasks('M1')).toEqual([expect.objectContaining({ id: 'k', kind: 'visit' })]);
  });
});

describe('manager tasks in SQL stores', () => {
  const folder = mkdtempSync(join(tmpdir(), 'kequn-tasks-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps open tasks in their own SQLite table across a restart', async () => {
    const path = join(folder, 'tasks.db');
    const first = await openSqliteStore({ path });
    const channel = await createManagerTaskChannel({ store: first, clock: () => now });
    await channel.adapters.phone.send({ kind: 'task', templateId: 't', locale: 'zh-CN', text: '致电' }, { customerId: 'C1', address: 'M1', managerId: 'M1' }, { idempotencyKey: 'k1' });
    await first.close();
    const second = await openSqliteStore({ path });
    const reopened = await createManagerTaskChannel({ store: second, clock: () => now });
    expect(await reopened.listOpenTasks('M1')).toEqual([expect.objectContaining({ id: 'k1', channel: 'phone' })]);
    await reopened.recordOutcome('k1', 'no_answer', 'M1');
    expect(await reopened.listOpenTasks('M1')).toEqual([]);
    expect(await second.sql.query('SELECT MAX(version) AS version FROM manager_tasks_schema_version')).toEqual([{ version: 1 }]);
    await second.close();
  });

  const url = process.env['KEQUN_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  it('keeps them on PostgreSQL too', async (context) => {
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    const reachable = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (!reachable) {
      if (process.env['KEQUN_REQUIRE_SERVICES'] === '1') throw new Error(`PostgreSQL at ${url} is unreachable and KEQUN_REQUIRE_SERVICES=1.`);
      context.skip();
    }
    const schema = `kequn_test_tasks_${process.pid}_${Date.now()}`;
    const store = await openPostgresStore({ url, schema, poolSize: 2 });
    try {
      const channel = await createManagerTaskChannel({ store, clock: () => now });
      await channel.adapters.branch.send({ kind: 'task', templateId: 't', locale: 'en', text: 'Invite' }, { customerId: 'C2', address: 'M2', managerId: 'M2' }, { idempotencyKey: 'k2' });
      await channel.adapters.branch.send({ kind: 'task', templateId: 't', locale: 'en', text: 'Invite' }, { customerId: 'C2', address: 'M2', managerId: 'M2' }, { idempotencyKey: 'k2' });
      expect(await channel.listOpenTasks('M2')).toEqual([expect.objectContaining({ id: 'k2', kind: 'visit' })]);
    } finally {
      await store.sql.execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await store.close();
    }
  });
});
