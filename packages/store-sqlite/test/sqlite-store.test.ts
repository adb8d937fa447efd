// What is particular to the SQLite store: zero configuration, WAL, and migrations that match core.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { insertStatement, isKequnError, storedCustomerRow, storeMigrations, type StoredCustomerRow } from '@kequn/core';
import { legacyCustomers } from '@kequn/store-contract';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SQLITE_PATH, openSqliteStore, sqliteMigrations } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-sqlite-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A file migrated up to `version` only, as an older Kequn left it. */
function databaseAtVersion(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.exec('CREATE TABLE kequn_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const step of sqliteMigrations.filter((migration) => migration.version <= version)) {
    db.exec(step.sql);
    db.prepare('INSERT INTO kequn_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(step.version, step.name, '2026-01-01');
  }
  return db;
}

describe('sqlite store', () => {
  it('creates ./.kequn/kequn.db under the working folder when given nothing', async () => {
    const previous = process.cwd();
    process.chdir(folder);
    try {
      const store = await openSqliteStore();
      expect(store.path).toBe(join(folder, '.kequn', 'kequn.db'));
      await store.close();
      expect(existsSync(join(folder, DEFAULT_SQLITE_PATH))).toBe(true);
    } finally {
      process.chdir(previous);
    }
  });

  it('uses write-ahead logging', async () => {
    const path = join(folder, 'wal.db');
    await (await openSqliteStore({ path })).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('has one migration per version of core’s catalogue, with the same names', () => {
    expect(sqliteMigrations.map(({ version, name }) => ({ version, name }))).toEqual([...storeMigrations]);
  });

  it('refuses a file migrated by a newer Kequn', async () => {
    const path = join(folder, 'newer.db');
    await (await openSqliteStore({ path })).close();
    const db = new Database(path);
    db.prepare("INSERT INTO kequn_migrations (version, name, applied_at) VALUES (99, 'from the future', '2030-01-01')").run();
    db.close();
    const error: unknown = await openSqliteStore({ path }).catch((thrown: unknown) => thrown);
    expect(isKequnError(error, 'KQ_STORE_SCHEMA_TOO_NEW')).toBe(true);
  });

  it('keeps tier history append-only in the database itself', async () => {
    const path = join(folder, 'append-only.db');
    const store = await openSqliteStore({ path });
    await store.tierChanges.append([{ customerId: 'C1', tier: 'mid', previousTier: null, effectiveFrom: '2026-01-01', recordedAt: '2026-01-01T00:00:00Z' }]);
    await store.close();
    const db = new Database(path);
    expect(() => db.prepare("UPDATE tier_changes SET tier = 'private'").run()).toThrow(/append-only/);
    db.close();
  });

  it('brings a version-3 outbox into the dispatch life cycle without losing a message', async () => {
    const path = join(folder, 'outbox-v3.db');
    const db = databaseAtVersion(path, 3);
    const legacy = (id: string, status: string, extra: Record<string, unknown>) => {
      const document = { id, customerId: 'C1', channel: 'sms', purpose: 'service', payload: { template: 'handoff.introduction' }, createdAt: '2026-05-01T10:00:00Z', status, ...extra };
      db.prepare('INSERT INTO outbox (id, customer_id, status, created_ms, document) VALUES (?, ?, ?, ?, ?)').run(id, 'C1', status, Date.parse(document.createdAt), JSON.stringify(document));
    };
    legacy('waiting', 'pending', { attempts: 0 });
    legacy('done', 'sent', { attempts: 1, sentAt: '2026-05-01T10:01:00Z' });
    legacy('broken', 'failed', { attempts: 2, lastError: 'gateway timeout' });
    db.close();

    const store = await openSqliteStore({ path });
    expect(await store.schemaVersion()).toBe(storeMigrations.length);
    expect(await store.outbox.get('done')).toMatchObject({ status: 'sent', attempts: 1, sentAt: '2026-05-01T10:01:00Z', channel: 'sms' });
    expect(await store.outbox.get('broken')).toMatchObject({ status: 'pending', attempts: 2, lastError: 'gateway timeout' });
    expect(await store.outbox.countByStatus()).toEqual({ pending: 2, sending: 0, sent: 1, rejected: 0, dead: 0 });
    const claimed = await store.outbox.claim({ workerId: 'w1', now: '2026-05-02T00:00:00Z', limit: 10, leaseMs: 1_000, channels: ['sms'] });
    expect(claimed.map((message) => [message.id, message.attempts])).toEqual([['broken', 3], ['waiting', 1]]);
    await store.close();
  });

  it('rewrites version-4 customer documents into rows of values and reads them back unchanged', async () => {
    const path = join(folder, 'customers-v4.db');
    const db = databaseAtVersion(path, 4);
    const customers = legacyCustomers();
    const insert = db.prepare('INSERT INTO customers (id, branch_id, manager_id, document) VALUES (?, ?, ?, ?)');
    for (const customer of customers) insert.run(customer.id, customer.branchId, customer.relationshipManagerId, JSON.stringify(customer));
    db.close();

    const store = await openSqliteStore({ path });
    expect(await store.schemaVersion()).toBe(storeMigrations.length);
    for (const customer of customers) expect(await store.customers.get(customer.id)).toEqual(customer);
    const [row] = await store.sql.query("SELECT json_type(document, '$.consents[0]') AS consent, json_extract(document, '$.profile.phone') AS phone FROM customers WHERE id = $1", [customers[0]?.id ?? '']);
    expect(row).toEqual({ consent: 'array', phone: customers[0]?.profile.phone });
    await store.close();
  });

  it('stores a document given as UTF-8 bytes as text that its JSON functions read', async () => {
    const store = await openSqliteStore({ path: join(folder, 'document-bytes.db') });
    const customers = legacyCustomers().slice(0, 4).map((customer, index) => ({ ...customer, name: `客户 ${index} 😀` }));
    const asBytes = (row: StoredCustomerRow): StoredCustomerRow => {
      // A view in the middle of a larger buffer, as an import's packed batch hands documents over.
      const text = Buffer.from(`xx${row.document as string}yy`, 'utf8');
      return { ...row, document: new Uint8Array(text.buffer, text.byteOffset + 2, text.length - 4) };
    };
    const first = customers[0] as (typeof customers)[number];
    const holding = { productId: 'WM-1', productType: 'wealth', amount: 1_000, openedAt: '2026-01-05' } as const;
    await store.customers.upsert([{ ...first, holdings: [holding] }]);
    await store.customers.upsertStored(customers.map(storedCustomerRow).map(asBytes), { keepStoredHoldings: true });
    const rows = await store.sql.query("SELECT id, typeof(document) AS type, json_extract(document, '$.name') AS name FROM customers ORDER BY id");
    expect(rows).toEqual([...customers].sort((a, b) => (a.id < b.id ? -1 : 1)).map((customer) => ({ id: customer.id, type: 'text', name: customer.name })));
    // The kept holdings went through json_set over the bound bytes.
    expect(await store.customers.get(first.id)).toEqual({ ...first, holdings: [holding] });
    await store.close();
  });

  it('casts only the columns a bulk write gives as bytes, and a write of text as before', () => {
    const write = { table: 'customers', columns: ['id', 'branch_id', 'manager_id', 'document'], key: ['id'], mode: 'upsert' } as const;
    expect(insertStatement(write, 2)).toBe(
      'INSERT INTO customers (id, branch_id, manager_id, document) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET branch_id = excluded.branch_id, manager_id = excluded.manager_id, document = excluded.document',
    );
    expect(insertStatement({ ...write, utf8Columns: ['document'] }, 2)).toBe(
      'INSERT INTO customers (id, branch_id, manager_id, document) VALUES ($1, $2, $3, CAST($4 AS TEXT)), ($5, $6, $7, CAST($8 AS TEXT)) ON CONFLICT (id) DO UPDATE SET branch_id = excluded.branch_id, manager_id = excluded.manager_id, document = excluded.document',
    );
  });

  it('gives a new file 16 KB pages', async () => {
    const path = join(folder, 'pages.db');
    const store = await openSqliteStore({ path });
    await store.close();
    const db = new Database(path);
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    db.close();
  });
});
