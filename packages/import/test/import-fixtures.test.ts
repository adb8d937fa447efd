// Real-world and malformed CSV files: every good row is kept, every bad row reported with its line,
// column and reason.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore, isKequnError, type KequnStore } from '@kequn/core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { importCustomers } from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const mapping = join(fixtures, 'bank-a.mapping.yaml');
const scratch = mkdtempSync(join(tmpdir(), 'kequn-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Reject {
  line: string;
  column: string;
  reason: string;
  record: string;
}

function rejectsIn(path: string): Reject[] {
  return parse(readFileSync(path, 'utf8'), { bom: true, columns: true }) as Reject[];
}

async function storedIds(store: KequnStore): Promise<string[]> {
  return (await store.customers.list({ limit: 100 })).map((customer) => customer.id);
}

describe('importing customers from CSV', () => {
  let store: KequnStore;
  beforeEach(() => {
    store = createMemoryStore();
  });

  it('reads UTF-8 with a BOM, quoted newlines, thousands separators and three date spellings', async () => {
    const summary = await importCustomers(join(fixtures, 'good-utf8-bom.csv'), { store, mapping });
    expect(summary).toMatchObject({ read: 3, stored: 3, rejected: 0, encoding: 'utf-8' });
    const first = await store.customers.get('A0001');
    expect(first?.assets.currentAum).toBe(1_234_567.89);
    expect(first?.tags).toEqual(['VIP', '代发']);
    expect(first?.profile).toMatchObject({ name: '张伟', gender: 'male', occupation: 'retired', birthDate: '1960-05-01' });
    expect((await store.customers.get('A0002'))?.openedAt).toBe('2018-07-15');
    expect((await store.customers.get('A0002'))?.profile.birthDate).toBe('1990-03-12');
    expect((await store.customers.get('A0003'))?.openedAt).toBe('2020-01-01');
    expect((await store.customers.get('A0003'))?.profile.birthDate).toBe('1985-01-09');
  });

  it('detects a GBK file and reads it as the same customers', async () => {
    const summary = await importCustomers(join(fixtures, 'good-gbk.csv'), { store, mapping });
    expect(summary.encoding).toBe('gb18030');
    expect(summary.stored).toBe(3);
    expect((await store.customers.get('A0001'))?.profile.name).toBe('张伟');
  });

  it('rejects wrong types with the column and reason, and keeps the good rows', async () => {
    const rejectFile = join(scratch, 'wrong-types.rejects.csv');
    const summary = await importCustomers(join(fixtures, 'wrong-types.csv'), { store, mapping, rejectFile });
    expect(summary).toMatchObject({ read: 6, stored: 2, rejected: 4 });
    expect(await storedIds(store)).toEqual(['B0001', 'B0006']);
    const rejects = rejectsIn(rejectFile);
    expect(rejects.map((reject) => [reject.line, reject.column])).toEqual([
      ['3', '资产余额'],
      ['4', '开户日期'],
      ['5', '职业'],
      ['6', '手机银行; 手机号'],
    ]);
    expect(rejects[0]?.reason).toContain('is not an amount');
    // The raw rows carry personal financial information: the file is readable by its owner only.
    expect(statSync(rejectFile).mode & 0o077).toBe(0);
    expect(rejects[1]?.reason).toContain('not a calendar date');
    expect(rejects[2]?.reason).toContain('profile.occupation');
    expect(rejects[3]?.record).toContain('B0005');
    expect(rejects[3]?.column).toBe('手机银行; 手机号');
  });

  it('keeps the first of duplicate ids and reports the later ones', async () => {
    const rejectFile = join(scratch, 'duplicates.rejects.csv');
    const summary = await importCustomers(join(fixtures, 'duplicate-ids.csv'), { store, mapping, rejectFile });
    expect(summary).toMatchObject({ read: 5, stored: 3, rejected: 2, duplicates: 2 });
    expect((await store.customers.get('D0001'))?.profile.name).toBe('郑一');
    expect(rejectsIn(rejectFile).map((reject) => [reject.line, reject.column])).toEqual([
      ['4', '客户号'],
      ['6', '客户号'],
    ]);
  });

  it('reports short and long rows by line and names the missing columns', async () => {
    const rejectFile = join(scratch, 'missing.rejects.csv');
    const summary = await importCustomers(join(fixtures, 'missing-columns.csv'), { store, mapping, rejectFile });
    expect(summary).toMatchObject({ read: 4, stored: 2, rejected: 2 });
    expect(await storedIds(store)).toEqual(['M0001', 'M0004']);
    const rejects = rejectsIn(rejectFile);
    expect(rejects.map((reject) => reject.line)).toEqual(['3', '4']);
    expect(rejects[0]?.reason).toContain('missing 证件号码');
  });

  it('names a column the mapping wants but the header lacks, and rejects rows that need it', async () => {
    const rejectFile = join(scratch, 'header.rejects.csv');
    const summary = await importCustomers(join(fixtures, 'missing-header-column.csv'), { store, mapping, rejectFile });
    expect(summary.missingColumns).toEqual(['手机号', '标签']);
    expect(summary).toMatchObject({ read: 2, stored: 0, rejected: 2 });
    expect(rejectsIn(rejectFile)[0]).toMatchObject({ line: '2', column: '手机号' });
  });

  it('rejects a row whose bytes are not UTF-8 and keeps the rows around it', async () => {
    const rejectFile = join(scratch, 'encoding.rejects.csv');
    const summary = await importCustomers(join(fixtures, 'bad-encoding.csv'), { store, mapping, rejectFile });
    expect(summary).toMatchObject({ encoding: 'utf-8', read: 3, stored: 2, rejected: 1 });
    expect(await storedIds(store)).toEqual(['E0001', 'E0003']);
    const [reject] = rejectsIn(rejectFile);
    expect(reject).toMatchObject({ line: '3', column: '姓名' });
    expect(reject?.reason).toContain('--encoding gbk');
  });

  it('keeps every row before a last line cut inside a quoted field', async () => {
    const rejectFile = join(scratch, 'quote.rejects.csv');
    const summary = await importCustomers(join(fixtures, 'truncated-quote.csv'), { store, mapping, rejectFile });
    expect(summary).toMatchObject({ stored: 2, rejected: 1 });
    expect(rejectsIn(rejectFile)[0]).toMatchObject({ line: '4' });
    expect(rejectsIn(rejectFile)[0]?.reason).toContain('truncated');
  });

  it('keeps every row before a last line cut short', async () => {
    const rejectFile = join(scratch, 'row.rejects.csv');
    const summary = await importCustomers(join(fixtures, 'truncated-row.csv'), { store, mapping, rejectFile });
    expect(summary).toMatchObject({ read: 3, stored: 2, rejected: 1 });
    expect(rejectsIn(rejectFile)[0]).toMatchObject({ line: '4', column: '证件号码' });
  });

  it('is idempotent: importing the same file twice leaves the same store', async () => {
    await importCustomers(join(fixtures, 'wrong-types.csv'), { store, mapping });
    const once = await store.customers.list();
    const again = await importCustomers(join(fixtures, 'wrong-types.csv'), { store, mapping });
    expect(again.stored).toBe(2);
    expect(await store.customers.list()).toEqual(once);
  });

  it('refuses a mapping that names fields customers do not have, before reading a row', async () => {
    const error: unknown = await importCustomers(join(fixtures, 'good-utf8-bom.csv'), {
      store,
      mapping: { columns: { 客户号: 'id', 手机: 'profile.mobile' } },
    }).catch((thrown: unknown) => thrown);
    expect(isKequnError(error, 'KQ_IMPORT_MAPPING_INVALID')).toBe(true);
    expect(String(error)).toContain('profile.mobile');
    expect(await store.customers.count()).toBe(0);
  });
});
