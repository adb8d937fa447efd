// What a SQL store adds to the contract: packages keep their own tables through `sql`, and their
// writes through `tx.sql` commit or roll back together with the port's.
import type { SqlStore } from '@kequn/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export function describeSqlStoreContract(name: string, open: () => Promise<SqlStore>): void {
  describe(`sql store contract: ${name}`, () => {
    let store: SqlStore;
    beforeEach(async () => {
      store = await open();
      await store.sql.execute('CREATE TABLE IF NOT EXISTS extension_notes (id TEXT PRIMARY KEY, note TEXT NOT NULL)');
    });
    afterEach(async () => {
      await store.close();
    });

    it('lets a package keep its own table', async () => {
      await store.sql.bulkWrite({ table: 'extension_notes', columns: ['id', 'note'], key: ['id'], mode: 'upsert', rows: [['n1', 'first'], ['n1', 'second']] });
      expect(await store.sql.query('SELECT id, note FROM extension_notes')).toEqual([{ id: 'n1', note: 'second' }]);
      expect(await store.sql.execute('DELETE FROM extension_notes WHERE id = $1', ['n1'])).toBe(1);
    });

    it('rolls back a package’s own writes with the port’s', async () => {
      const failure = store.transaction(async (tx) => {
        await tx.sql.execute('INSERT INTO extension_notes (id, note) VALUES ($1, $2)', ['n2', 'handed over']);
        await tx.pluginState.set('books/last-run', '2026-06');
        throw new Error('the operations manager declined');
      });
      await expect(failure).rejects.toThrow('declined');
      expect(await store.sql.query('SELECT id FROM extension_notes')).toEqual([]);
      expect(await store.pluginState.get('books/last-run')).toBeUndefined();
      await store.transaction(async (tx) => {
        await tx.sql.execute('INSERT INTO extension_notes (id, note) VALUES ($1, $2)', ['n3', 'kept']);
      });
      expect(await store.sql.query('SELECT note FROM extension_notes WHERE id = $1', ['n3'])).toEqual([{ note: 'kept' }]);
    });
  });
}
