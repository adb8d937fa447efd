import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@kequn/store-sqlite';
import { tieringPlugin } from '@kequn/plugin-tiering';
import { createSyntheticBank, createTestKernel } from '@kequn/testing';
import { createBookService, createSqlBookStore, migrateBookStore, storeCustomerDirectory } from '../src/index.js';
import { openSqlite, sqliteExecutor } from './sql-executors.js';
import { managerOf, upgraded } from './fixtures.js';

const directory = mkdtempSync(join(tmpdir(), 'kequn-books-flow-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('the hand-off workflow on SQLite', () => {
  it('keeps the case, the customer move, the outbox message and the audit trail across a restart', async () => {
    const path = join(directory, 'kequn.db');
    const bank = createSyntheticBank({ customers: 300, seed: 11 });
    const customers = [...bank.customers()];
    const core = await openSqliteStore({ path });
    await core.customers.upsert(customers);
    const db = openSqlite(path);
    const sql = sqliteExecutor(db);
    await migrateBookStore(sql, '2026-11-01T00:00:00Z');
    const test = await createTestKernel({ plugins: [tieringPlugin], customers });
    const service = createBookService({ events: test.kernel.events, store: createSqlBookStore(sql), records: core, customers: storeCustomerDirectory(core.customers, test.model), managers: bank.managers });
    service.watchTierChanges();

    const customer = customers.find((candidate) => candidate.relationshipManagerId !== null && candidate.assets.monthlyAverages.slice(-3).every((month) => month.averageDailyBalance >= 100_000 && month.averageDailyBalance < 300_000));
    if (customer === undefined) throw new Error('no mid-tier managed customer in the fixture');
    test.model.upsert(upgraded(customer));
    await service.settled();
    const [opened] = await service.handoffs();
    const receiver = managerOf(bank.managers, customer.branchId, 'vip_wealth_manager');
    const operations = managerOf(bank.managers, customer.branchId, 'operations_manager');
    await service.fileHandoff(opened?.id ?? '', { by: customer.relationshipManagerId ?? '', receiverId: receiver.id, at: '2026-11-02T10:00:00+08:00' });
    await service.approveHandoff(opened?.id ?? '', { by: operations.id, at: '2026-11-02T11:00:00+08:00' });
    await service.recordContact({ id: 'first', customerId: customer.id, managerId: receiver.id, channel: 'phone', outcome: 'reached', occurredAt: '2026-11-03T09:00:00+08:00' });
    db.close();
    await core.close();
    await test.dispose();

    const reopened = await openSqliteStore({ path });
    const again = openSqlite(path);
    const store = createSqlBookStore(sqliteExecutor(again));
    expect(await store.getHandoff(opened?.id ?? '')).toMatchObject({ status: 'closed', receiverId: receiver.id, firstContact: { withinSla: true } });
    expect((await reopened.customers.get(customer.id))?.relationshipManagerId).toBe(receiver.id);
    expect(await reopened.outbox.pending()).toEqual([expect.objectContaining({ customerId: customer.id, channel: 'sms' })]);
    expect(await reopened.contactRecords.listByCustomer(customer.id)).toEqual([expect.objectContaining({ id: 'first', managerId: receiver.id })]);
    expect((await reopened.auditLog.list({ subject: `handoff:${opened?.id ?? ''}` })).map((entry) => entry.details?.['step'])).toEqual(['open', 'file', 'approve', 'first_contact']);
    again.close();
    await reopened.close();
  });
});
