// What is particular to the SQLite store: zero configuration, WAL, and migrations that match core.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { isKequnError, storeMigrations } from '@kequn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SQLITE_PATH, openSqliteStore, sqliteMigrations } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-sqlite-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

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
});
