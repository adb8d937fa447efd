// The customer list on a SQL store reads the page's scope columns and phones with prepared
// statements instead of whole documents, and keeps masked phones: the rows must equal what the
// documents say, follow a changed phone after a refresh, and leave out a customer the store has
// moved to another manager even while the in-memory book still files them under the caller.
// SQLite always; PostgreSQL when KEQUN_PG_URL's server answers (required with KEQUN_REQUIRE_SERVICES=1).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerSummary } from '@kequn/api';
import { maskName, maskPhone, type SqlStore } from '@kequn/core';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';
import { decideTierAsOf } from '@kequn/plugin-tiering';
import {
  BankState,
  createAuthenticator,
  createKequnApp,
  seedSyntheticBank,
  type KequnApp,
} from '../src/index.js';
import { AS_OF, call, NOW } from './fixture.js';

interface OpenedStore {
  store: SqlStore;
  /** Closes the store and removes what the test created. */
  dispose(): Promise<void>;
}

async function openPostgres(): Promise<OpenedStore | string> {
  const schema = `kequn_test_server_list_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    const store = await openPostgresStore({ schema, poolSize: 2 });
    return {
      store,
      async dispose() {
        await store.sql.execute(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await store.close();
      },
    };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const postgres = await openPostgres();

function listPagesOn(name: string, open: () => Promise<OpenedStore>): void {
  describe(`customer list pages on ${name}`, () => {
    let opened: OpenedStore;
    let store: SqlStore;
    let state: BankState;
    let kequn: KequnApp;
    let token: string;
    let managerId: string;

    beforeAll(async () => {
      opened = await open();
      store = opened.store;
      await seedSyntheticBank(store, { customers: 600, seed: 11, asOf: AS_OF });
      state = await BankState.open({ store, asOf: AS_OF, now: () => NOW });
      const auth = await createAuthenticator({ devMode: true });
      kequn = createKequnApp({
        state,
        auth,
        options: { rateLimit: { enabled: false } },
        now: () => NOW,
      });
      const manager = [...state.managers].sort(
        (a, b) => state.rowsOfManager(b.id).length - state.rowsOfManager(a.id).length,
      )[0];
      if (manager === undefined) throw new Error('no managers');
      managerId = manager.id;
      ({ token } = await auth.issueDevToken({
        userId: manager.id,
        role: 'manager',
        managerId: manager.id,
        branchId: manager.branchId,
      }));
    });
    afterAll(async () => {
      await state.close();
      await opened.dispose();
    });

    async function page(): Promise<CustomerSummary[]> {
      const response = await call(kequn, 'GET', '/customers?limit=5', token);
      expect(response.status).toBe(200);
      return ((await response.json()) as { items: CustomerSummary[] }).items;
    }

    it('match the stored documents, masked, on the first read and when served from the cache', async () => {
      const first = await page();
      expect(first.length).toBe(5);
      const documents = new Map(
        (await store.customers.getMany(first.map((item) => item.id))).map((customer) => [
          customer.id,
          customer,
        ]),
      );
      for (const item of first) {
        const customer = documents.get(item.id);
        expect(customer?.relationshipManagerId).toBe(managerId);
        expect(item.name).toBe(maskName(customer?.profile.name ?? '?'));
        expect(item.phone).toBe(maskPhone(customer?.profile.phone ?? '?'));
        expect(item.branchId).toBe(customer?.branchId);
      }
      expect(await page()).toEqual(first);
    });

    it('follows a changed phone once the server refreshes the customer', async () => {
      const [item] = await page();
      const [customer] = await store.customers.getMany([item?.id ?? '']);
      if (customer === undefined) throw new Error('no customer');
      await store.customers.upsert([
        { ...customer, profile: { ...customer.profile, phone: '13900001111' } },
      ]);
      await state.refreshCustomers([customer.id]);
      expect((await page())[0]?.phone).toBe('139****1111');
    });

    it('decides the earlier tier of a refreshed customer again, for the migration matrix', async () => {
      const [item] = await page();
      const [customer] = await store.customers.getMany([item?.id ?? '']);
      const row = state.model.table.indexOf(customer?.id ?? '');
      if (customer === undefined || row === undefined) throw new Error('no customer');
      const before = state.earlierTierAt(row);
      // Balances that put the customer at the other end of the tiers, for every month on record.
      const balance = before === 'private' ? 0 : 80_000_000;
      const changed = {
        ...customer,
        assets: { ...customer.assets, monthlyAverages: customer.assets.monthlyAverages.map((month) => ({ ...month, averageDailyBalance: balance })) },
      };
      await store.customers.upsert([changed]);
      await state.refreshCustomers([customer.id]);
      const after = state.earlierTierAt(row);
      expect(after).toBe(decideTierAsOf(changed, state.migrationFrom, state.tiering).tier);
      expect(after).not.toBe(before);
    });

    it('leaves out a customer the store has moved to another manager', async () => {
      const before = await page();
      const moved = before[1];
      const [customer] = await store.customers.getMany([moved?.id ?? '']);
      if (customer === undefined) throw new Error('no customer');
      await store.customers.upsert([{ ...customer, relationshipManagerId: 'SOMEONE-ELSE' }]);
      const after = await page();
      expect(after.map((entry) => entry.id)).not.toContain(customer.id);
      expect(after.every((entry) => entry.relationshipManagerId === managerId)).toBe(true);
    });
  });
}

listPagesOn('SQLite', async () => {
  const store = await openSqliteStore({ path: ':memory:' });
  return { store, dispose: () => store.close() };
});

if (typeof postgres !== 'string') {
  const opened = postgres;
  listPagesOn('PostgreSQL', async () => opened);
} else if (process.env['KEQUN_REQUIRE_SERVICES'] === '1') {
  it('reaches PostgreSQL (KEQUN_REQUIRE_SERVICES=1)', () => {
    throw new Error(`PostgreSQL is unreachable: ${postgres}. Start it or set KEQUN_PG_URL.`);
  });
} else {
  it.skip(`customer list pages on PostgreSQL (unreachable: ${postgres})`, () => undefined);
}
