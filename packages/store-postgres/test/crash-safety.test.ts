// A writer killed (SIGKILL) in the middle of a bulk write leaves PostgreSQL as before the
// transaction; killed after the commit, as after. Never anything in between.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeCrashSafety } from '@kequn/store-contract';
import { afterAll, describe } from 'vitest';
import { openPostgresStore } from '../src/index.js';
import { checkPostgres, dropSchemas, postgresUrl, requirePostgres, uniqueSchema } from './service.js';

const service = await checkPostgres();
const schemas: string[] = [];
afterAll(() => dropSchemas(schemas));

describe('postgres', () => {
  if (!requirePostgres(service)) return;
  describeCrashSafety('postgres', {
    async newLocation(purpose) {
      schemas.push(uniqueSchema(purpose));
      return schemas.at(-1) ?? '';
    },
    open: (schema) => openPostgresStore({ url: postgresUrl, schema, poolSize: 2 }),
    child: { cwd: dirname(dirname(fileURLToPath(import.meta.url))), script: 'test/crash-child.ts', env: { KEQUN_PG_URL: postgresUrl } },
  });
});
