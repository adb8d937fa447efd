// A writer killed (SIGKILL) in the middle of a bulk write leaves the file as before the transaction;
// killed after the commit, as after. Never anything in between.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeCrashSafety } from '@kequn/store-contract';
import { afterAll } from 'vitest';
import { openSqliteStore } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-sqlite-crash-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeCrashSafety('sqlite', {
  newLocation: async (purpose) => join(folder, `${purpose}.db`),
  open: (path) => openSqliteStore({ path }),
  child: { cwd: dirname(dirname(fileURLToPath(import.meta.url))), script: 'test/crash-child.ts' },
});
