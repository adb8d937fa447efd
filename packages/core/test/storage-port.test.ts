// The storage port's own pieces: the migration plan, the in-memory store's copying and
// transactions, and plugin state written through to a store.
import { describe, expect, it } from 'vitest';
import {
  createMemoryStore,
  isKequnError,
  pendingMigrations,
  storeMigrations,
  StoredStateStorage,
  StoreSchemaTooNewError,
  type PluginStateRepository,
} from '../src/index.js';

describe('migration plan', () => {
  const steps = [
    { version: 3, name: 'c' },
    { version: 1, name: 'a' },
    { version: 2, name: 'b' },
  ];

  it('lists the versions still to apply, oldest first', () => {
    expect(pendingMigrations('test', 0, steps).map((step) => step.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations('test', 2, steps).map((step) => step.version)).toEqual([3]);
    expect(pendingMigrations('test', 3, steps)).toEqual([]);
  });

  it('refuses a database written by a newer Kequn', () => {
    expect(() => pendingMigrations('./.kequn/kequn.db', 4, steps)).toThrow(StoreSchemaTooNewError);
    const error: unknown = (() => {
      try {
        pendingMigrations('./.kequn/kequn.db', 4, steps);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(isKequnError(error, 'KQ_STORE_SCHEMA_TOO_NEW')).toBe(true);
    expect(String(error)).toContain('Upgrade the @kequn packages');
  });

  it('numbers the catalogue 1, 2, 3… without gaps', () => {
    expect(storeMigrations.map((step) => step.version)).toEqual(storeMigrations.map((_, index) => index + 1));
  });
});

describe('memory store', () => {
  it('hands out copies, so a caller cannot change what is stored', async () => {
    const store = createMemoryStore();
    await store.branches.upsert([{ id: 'BR001', name: '西湖支行', city: '杭州' }]);
    const branch = await store.branches.get('BR001');
    if (branch !== undefined) branch.name = 'changed';
    expect((await store.branches.get('BR001'))?.name).toBe('西湖支行');
  });

  it('runs transactions one after another', async () => {
    const store = createMemoryStore();
    const order: string[] = [];
    const slow = store.transaction(async (tx) => {
      order.push('first starts');
      await new Promise((resolve) => setTimeout(resolve, 5));
      await tx.pluginState.set('k', 1);
      order.push('first ends');
    });
    const fast = store.transaction(async (tx) => {
      order.push('second starts');
      expect(await tx.pluginState.get('k')).toBe(1);
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['first starts', 'first ends', 'second starts']);
  });
});

describe('plugin state written through to a store', () => {
  it('reads its values synchronously after opening', async () => {
    const store = createMemoryStore();
    await store.pluginState.set('tiering/effective', 20_000);
    const state = await StoredStateStorage.open(store.pluginState);
    expect(state.get('tiering/effective')).toBe(20_000);
    state.delete('tiering/effective');
    await state.flush();
    expect(await store.pluginState.get('tiering/effective')).toBeUndefined();
  });

  it('reports a failed write on flush with a code, keeping the value in memory', async () => {
    const failing: PluginStateRepository = {
      get: async () => undefined,
      set: async () => Promise.reject(new Error('disk full')),
      delete: async () => undefined,
      entries: async () => [],
    };
    const state = await StoredStateStorage.open(failing);
    state.set('groups/elderlyAge', 65);
    const error: unknown = await state.flush().catch((thrown: unknown) => thrown);
    expect(isKequnError(error, 'KQ_STORE_STATE_WRITE_FAILED')).toBe(true);
    expect(String(error)).toContain('disk full');
    expect(state.get('groups/elderlyAge')).toBe(65);
    await expect(state.flush()).resolves.toBeUndefined();
  });
});
