// The storage contract on SQLite, one fresh file per store opened.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSqlStoreContract, describeStoreContract } from '@kequn/store-contract';
import { openSqliteStore } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-sqlite-contract-'));
let opened = 0;
let lastPath = '';

describeStoreContract('sqlite', {
  async open() {
    opened += 1;
    lastPath = join(folder, `store-${opened}.db`);
    return openSqliteStore({ path: lastPath });
  },
  reopen: () => openSqliteStore({ path: lastPath }),
  async cleanup() {
    rmSync(folder, { recursive: true, force: true });
  },
});

describeSqlStoreContract('sqlite', async () => {
  opened += 1;
  return openSqliteStore({ path: join(folder, `sql-${opened}.db`) });
});
