// The storage contract on PostgreSQL, one fresh schema per store opened, all dropped afterwards.
import { afterAll, describe } from 'vitest';
import { describeSqlStoreContract, describeStoreContract } from '@kequn/store-contract';
import { openPostgresStore } from '../src/index.js';
import { checkPostgres, dropSchemas, postgresUrl, requirePostgres, uniqueSchema } from './service.js';

const service = await checkPostgres();

describe('postgres', () => {
  if (!requirePostgres(service)) return;
  const schemas: string[] = [];
  afterAll(() => dropSchemas(schemas));
  describeStoreContract('postgres', {
    async open() {
      schemas.push(uniqueSchema('contract'));
      return openPostgresStore({ url: postgresUrl, schema: schemas.at(-1), poolSize: 4 });
    },
    reopen: () => openPostgresStore({ url: postgresUrl, schema: schemas.at(-1), poolSize: 4 }),
  });
  describeSqlStoreContract('postgres', async () => {
    schemas.push(uniqueSchema('sql'));
    return openPostgresStore({ url: postgresUrl, schema: schemas.at(-1), poolSize: 4 });
  });
});
