// The synthetic bank written out as CSV and imported back is the same bank, field for field; a
// second import changes nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, scanAll, type KequnStore } from '@kequn/core';
import { openSqliteStore } from '@kequn/store-sqlite';
import { createSyntheticBank } from '@kequn/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { exportBank, importFile, type ExportedFile } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-export-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const bank = createSyntheticBank({ seed: 11, customers: 150 });

async function importAll(store: KequnStore, files: readonly ExportedFile[]): Promise<number> {
  let rejected = 0;
  for (const file of files) {
    const summary = await importFile(file.kind, file.path, { store, mapping: file.mappingPath, batchSize: 64 });
    rejected += summary.rejected;
  }
  return rejected;
}

async function everyCustomer(store: KequnStore) {
  const customers = [];
  for await (const customer of scanAll(store.customers)) customers.push(customer);
  return customers;
}

describe('export-bank then import', () => {
  let files: ExportedFile[] = [];

  it('writes customers, holdings, events, managers and branches with their mappings', async () => {
    files = await exportBank(bank, folder, { events: true });
    expect(files.map((file) => file.kind)).toEqual(['branches', 'managers', 'customers', 'holdings', 'events']);
    expect(files.find((file) => file.kind === 'customers')?.rows).toBe(150);
  });

  for (const [name, open] of [
    ['memory', async () => createMemoryStore()],
    ['sqlite', () => openSqliteStore({ path: join(folder, 'round-trip.db') })],
  ] as const) {
    it(`brings back the same bank into ${name}`, async () => {
      const store = await open();
      try {
        expect(await importAll(store, files)).toBe(0);
        const expected = [...bank.customers()].map((customer) => ({ ...customer, holdings: [...customer.holdings] }));
        const stored = await everyCustomer(store);
        const byId = new Map(stored.map((customer) => [customer.id, customer]));
        for (const customer of expected) {
          const back = byId.get(customer.id);
          expect(back && { ...back, holdings: [...back.holdings].sort(byProduct) }).toEqual({ ...customer, holdings: [...customer.holdings].sort(byProduct) });
        }
        expect(await store.managers.count()).toBe(bank.managers.length);
        expect(await store.branches.get(bank.branches[0]?.id ?? '')).toEqual(bank.branches[0]);
        const events = [...bank.eventsOf(0)];
        expect(await store.events.listByCustomer(bank.customerAt(0).id)).toHaveLength(events.length);

        expect(await importAll(store, files)).toBe(0);
        expect(await everyCustomer(store)).toEqual(stored);
      } finally {
        await store.close();
      }
    });
  }
});

function byProduct(a: { productId: string; openedAt: string }, b: { productId: string; openedAt: string }): number {
  return `${a.productId}/${a.openedAt}` < `${b.productId}/${b.openedAt}` ? -1 : 1;
}
