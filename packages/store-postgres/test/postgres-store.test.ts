// What is particular to the PostgreSQL store: its migrations match core's, and unreachable servers
// are reported with a code and the location (never the password).
import { isKequnError, storeMigrations } from '@kequn/core';
import { legacyCustomers } from '@kequn/store-contract';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore, postgresMigrations } from '../src/index.js';
import { checkPostgres, dropSchemas, postgresUrl, requirePostgres, uniqueSchema } from './service.js';

const service = await checkPostgres();

describe('postgres store', () => {
  it('has one migration per version of core’s catalogue, with the same names', () => {
    expect(postgresMigrations.map(({ version, name }) => ({ version, name }))).toEqual([...storeMigrations]);
  });

  it('says which server it could not reach, without the password', async () => {
    const error: unknown = await openPostgresStore({ url: 'postgres://kequn:secret@127.0.0.1:1/none' }).catch((thrown: unknown) => thrown);
    expect(isKequnError(error, 'KQ_STORE_UNAVAILABLE')).toBe(true);
    expect(String(error)).toContain('127.0.0.1:1');
    expect(String(error)).not.toContain('secret');
  });

  describe('on a server', () => {
    if (!requirePostgres(service)) return;
    const schema = uniqueSchema('customers_v4');
    afterAll(() => dropSchemas([schema]));

    it('rewrites version-4 customer documents into rows of values and reads them back unchanged', async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      const customers = legacyCustomers();
      try {
        await client.query(`CREATE SCHEMA "${schema}"`);
        await client.query(`SET search_path = "${schema}"`);
        await client.query('CREATE TABLE kequn_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
        for (const step of postgresMigrations.filter((migration) => migration.version <= 4)) {
          await client.query(step.sql);
          await client.query('INSERT INTO kequn_migrations (version, name, applied_at) VALUES ($1, $2, now())', [step.version, step.name]);
        }
        for (const customer of customers) {
          await client.query('INSERT INTO customers (id, branch_id, manager_id, document) VALUES ($1, $2, $3, $4)', [
            customer.id,
            customer.branchId,
            customer.relationshipManagerId,
            JSON.stringify(customer),
          ]);
        }
      } finally {
        await client.end();
      }
      const store = await openPostgresStore({ url: postgresUrl, schema, poolSize: 2 });
      try {
        expect(await store.schemaVersion()).toBe(storeMigrations.length);
        for (const customer of customers) expect(await store.customers.get(customer.id)).toEqual(customer);
        const [row] = await store.sql.query("SELECT jsonb_typeof(document->'consents'->0) AS consent, document->'profile'->>'phone' AS phone FROM customers WHERE id = $1", [customers[0]?.id ?? '']);
        expect(row).toEqual({ consent: 'array', phone: customers[0]?.profile.phone });
      } finally {
        await store.close();
      }
    });
  });
});
