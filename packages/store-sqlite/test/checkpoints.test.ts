// The write-ahead log is copied into the database on a thread of its own (backgroundCheckpoints),
// not by the writing thread, and a store that has such a thread still closes, and lets its program end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storedCustomerRow } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-sqlite-checkpoints-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const rows = [...createSyntheticBank({ seed: 5, customers: 2_000 }).customers()].map(storedCustomerRow);

/** The database file's size after ~2 s of waiting for it to take in what was written (checked every 50 ms). */
async function grownSize(path: string, over: number): Promise<number> {
  for (let waited = 0; waited < 2_000; waited += 50) {
    if (statSync(path).size > over) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return statSync(path).size;
}

describe('checkpoints on their own thread', () => {
  it('copy committed writes into the database file while the writer does nothing more', async () => {
    // ~3 MB of customers: well under the writer's own fallback of 16,384 pages, so only the thread copies them.
    for (const background of [true, false]) {
      const path = join(folder, `background-${background}.db`);
      const store = await openSqliteStore({ path, backgroundCheckpoints: background });
      const before = statSync(path).size;
      await store.customers.upsertStored(rows);
      const size = await grownSize(path, before + 2_000_000);
      if (background) expect(size, 'the thread copies the log in').toBeGreaterThan(before + 2_000_000);
      else expect(size, 'without it nothing copies the log in before close').toBe(before);
      await store.close();
      const reopened = await openSqliteStore({ path });
      expect(await reopened.customers.count()).toBe(rows.length);
      await reopened.close();
    }
  });

  it('let a program that closes its store end, promptly', () => {
    const script = `
      import { openSqliteStore } from './src/index.ts';
      const store = await openSqliteStore({ path: ${JSON.stringify(join(folder, 'ends.db'))} });
      await store.customers.count();
      await store.close();
      console.log('closed');
    `;
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--conditions=@kequn/source', '--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: dirname(dirname(fileURLToPath(import.meta.url))),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('closed');
    expect(child.status).toBe(0);
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
