import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { SqlExecutor } from '@kequn/core';
import {
  bookSchemaVersion,
  createMemoryBookStore,
  createSqlBookStore,
  LATEST_BOOK_SCHEMA_VERSION,
  migrateBookStore,
  type AllocationRun,
  type Assignment,
  type BookStore,
  type ContactState,
  type HandoffCase,
} from '../src/index.js';
import { openSqlite, postgresExecutor, sqliteExecutor } from './sql-executors.js';

const run: AllocationRun = {
  id: 'allocation-2026-11-01',
  month: '2026-11',
  status: 'approved',
  proposedBy: 'BR001-M02',
  proposedAt: '2026-11-01T09:00:00+08:00',
  approval: { by: 'BR001-M02', at: '2026-11-02T09:00:00+08:00' },
  proposals: [{ customerId: 'C1', branchId: 'BR001', fromManagerId: null, toManagerId: 'BR001-M07', ruleId: 'high-end-to-vip', kind: 'assigned', basis: 812_345.5 }],
  overCapacity: [{ managerId: 'BR001-M07', load: 221, capacity: 220, reason: 'no_capacity_left_for_role_in_branch', explanation: 'full' }],
  unplaced: [],
};

const handoff: HandoffCase = {
  id: 'handoff-C1-2026-11-01',
  customerId: 'C1',
  branchId: 'BR001',
  status: 'awaiting_first_contact',
  fromTier: 'mid',
  toTier: 'high_end',
  basis: 512_000,
  senderId: 'BR001-M03',
  receiverId: 'BR001-M07',
  openedAt: '2026-11-01T00:00:00Z',
  filed: { by: 'BR001-M03', at: '2026-11-02T10:00:00+08:00' },
  customerFile: {
    customerId: 'C1',
    branchId: 'BR001',
    tier: 'high_end',
    basis: 512_000,
    currentAum: 530_000,
    holdings: [{ productType: 'wealth', amount: 300_000, maturityDate: '2026-12-01' }],
    occupation: 'executive',
    age: 48,
    completeness: 0.8,
  },
  approval: { by: 'BR001-M02', at: '2026-11-02T11:00:00+08:00' },
  introductionMessageId: 'handoff-introduction-handoff-C1-2026-11-01',
  firstContactDue: '2026-11-04',
};

const state: ContactState = {
  customerId: 'C1',
  managerId: 'BR001-M07',
  lastContactAt: '2026-11-03T09:00:00+08:00',
  lastEffectiveContactAt: '2026-11-03T09:00:00+08:00',
  followUpsWithoutSale: 2,
  lowFrequency: false,
  nextStep: { on: '2026-11-10', note: '约到行做财富规划' },
  recentContacts: ['2026-11-01T09:00:00+08:00', '2026-11-03T09:00:00+08:00'],
};

const assignments: Assignment[] = [
  { customerId: 'C1', managerId: 'BR001-M03', effectiveAt: '2026-10-01T09:00:00+08:00', source: 'allocation', reference: 'allocation-2026-10-01' },
  { customerId: 'C1', managerId: 'BR001-M07', effectiveAt: '2026-11-02T11:00:00+08:00', source: 'handoff', reference: 'handoff-C1-2026-11-01' },
];

async function write(store: BookStore): Promise<void> {
  await store.saveRun(run);
  await store.saveHandoff(handoff);
  await store.saveContactStates([state]);
  await store.appendAssignments([assignments[1], assignments[0]].filter((entry): entry is Assignment => entry !== undefined));
  // Appending the same assignment again is harmless.
  await store.appendAssignments(assignments);
}

async function expectRoundTrip(store: BookStore): Promise<void> {
  expect(await store.getRun(run.id)).toEqual(run);
  expect(await store.listRuns()).toEqual([run]);
  expect(await store.getHandoff(handoff.id)).toEqual(handoff);
  expect(await store.listHandoffs({ status: 'awaiting_first_contact' })).toEqual([handoff]);
  expect(await store.listHandoffs({ status: 'closed' })).toEqual([]);
  expect(await store.listHandoffs({ customerId: 'C2' })).toEqual([]);
  expect(await store.getContactState('C1')).toEqual(state);
  expect(await store.listContactStates('BR001-M07')).toEqual([state]);
  expect(await store.assignmentsOf('C1')).toEqual(assignments);
}

describe('the memory book store', () => {
  it('keeps what it is given and hands out copies', async () => {
    const store = createMemoryBookStore();
    await write(store);
    const copy = await store.getRun(run.id);
    copy?.proposals.pop();
    await expectRoundTrip(store);
  });
});

async function sqlRoundTrip(open: () => Promise<{ sql: SqlExecutor; close: () => Promise<void> }>): Promise<void> {
  const first = await open();
  expect(await migrateBookStore(first.sql, '2026-11-01T00:00:00Z')).toBe(LATEST_BOOK_SCHEMA_VERSION);
  await write(createSqlBookStore(first.sql));
  await first.close();
  const second = await open();
  expect(await migrateBookStore(second.sql, '2026-11-02T00:00:00Z')).toBe(LATEST_BOOK_SCHEMA_VERSION);
  await expectRoundTrip(createSqlBookStore(second.sql));
  await second.sql.execute("INSERT INTO books_schema_version (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01')");
  await expect(migrateBookStore(second.sql, '2026-11-03T00:00:00Z')).rejects.toMatchObject({ code: 'KQ_BOOKS_SCHEMA_TOO_NEW' });
  await second.close();
}

describe('the SQL book store on SQLite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'kequn-books-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('survives closing and reopening the database, with its own schema version table', async () => {
    const path = join(directory, 'books.db');
    await sqlRoundTrip(async () => {
      const db = openSqlite(path);
      return { sql: sqliteExecutor(db), close: async () => void db.close() };
    });
    const db = openSqlite(path);
    expect(await bookSchemaVersion(sqliteExecutor(db))).toBe(99);
    db.close();
  });
});

const postgresUrl = process.env['KEQUN_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unreachable = await postgresReachable();
const required = process.env['KEQUN_REQUIRE_SERVICES'] === '1';

describe('the SQL book store on PostgreSQL', () => {
  if (unreachable !== undefined && required) {
    it('reaches PostgreSQL (KEQUN_REQUIRE_SERVICES=1)', () => {
      throw new Error(`PostgreSQL at ${postgresUrl} is unreachable: ${unreachable}. Start it or set KEQUN_PG_URL.`);
    });
    return;
  }
  const schema = `kequn_books_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    if (unreachable !== undefined) return;
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it.skipIf(unreachable !== undefined)('survives closing and reopening the pool, in its own schema', async () => {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    await sqlRoundTrip(async () => {
      const pool = new pg.Pool({ connectionString: postgresUrl, max: 2, options: `-c search_path="${schema}"` });
      return { sql: postgresExecutor(pool), close: () => pool.end() };
    });
  });
});
