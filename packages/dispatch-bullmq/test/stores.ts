// Opens the store a test names, in the test and in its worker processes alike:
// `sqlite:<file>` or `postgres:<schema>` (on KEQUN_PG_URL).
import type { SqlStore } from '@kequn/core';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';

export const postgresUrl = process.env['KEQUN_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export function openStore(spec: string): Promise<SqlStore> {
  const [kind, ...rest] = spec.split(':');
  const location = rest.join(':');
  if (kind === 'sqlite') return openSqliteStore({ path: location });
  if (kind === 'postgres') return openPostgresStore({ url: postgresUrl, schema: location, poolSize: 4 });
  throw new Error(`unknown store "${spec}": use sqlite:<file> or postgres:<schema>`);
}
