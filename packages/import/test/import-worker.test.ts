// Reading on a worker thread (`worker: true`) gives what reading in-thread gives:
// the same summary, the same reject lines, the same stored customers, the same errors.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, isKequnError } from '@kequn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importCustomers, type ImportSummary } from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const mapping = join(fixtures, 'bank-a.mapping.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'kequn-import-worker-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const csvFixtures = readdirSync(fixtures).filter((name) => name.endsWith('.csv'));

async function importWith(fixture: string, worker: boolean): Promise<{ summary: Omit<ImportSummary, 'seconds' | 'rowsPerSecond' | 'rejectFile'>; rejects: string; stored: unknown[] }> {
  const store = createMemoryStore();
  const rejectFile = join(scratch, `${fixture}.${worker ? 'worker' : 'thread'}.rejects.csv`);
  // A batch of 2 rows: several batches cross the thread even in a small fixture.
  const { seconds: _seconds, rowsPerSecond: _rate, rejectFile: _file, ...summary } = await importCustomers(join(fixtures, fixture), { store, mapping, rejectFile, worker, batchSize: 2 });
  return { summary, rejects: readFileSync(rejectFile, 'utf8'), stored: await store.customers.list() };
}

describe('reading on a worker thread', () => {
  it('imports every malformed fixture exactly as reading in-thread does', async () => {
    for (const fixture of csvFixtures) {
      const [onWorker, inThread] = await Promise.all([importWith(fixture, true), importWith(fixture, false)]);
      expect(onWorker, fixture).toEqual(inThread);
    }
  });

  it('reports an unreadable file with the same code', async () => {
    const empty = join(scratch, 'empty.csv');
    writeFileSync(empty, '');
    const error: unknown = await importCustomers(empty, { store: createMemoryStore(), mapping, worker: true }).catch((thrown: unknown) => thrown);
    expect(isKequnError(error, 'KQ_IMPORT_SOURCE_UNREADABLE')).toBe(true);
    expect(String(error)).toContain('empty');
  });

  it('fails with the file system’s reason when the reject file cannot be made after the worker started', async () => {
    const blocked = join(scratch, 'a-file');
    writeFileSync(blocked, '');
    const rejectFile = join(blocked, 'rejects.csv'); // a folder inside a file cannot be made
    const error: unknown = await importCustomers(join(fixtures, 'wrong-types.csv'), { store: createMemoryStore(), mapping, rejectFile, worker: true }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/ENOTDIR|EEXIST/);
  });
});
