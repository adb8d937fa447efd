// JSON Lines and Parquet carry the same rows as CSV; the mapping and validation are the same.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createMemoryStore } from '@kequn/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importCustomers, importManagers } from '../src/index.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const mapping = join(fixtures, 'bank-a.mapping.yaml');
const folder = mkdtempSync(join(tmpdir(), 'kequn-formats-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('other formats', () => {
  it('imports JSON Lines and rejects a line that is not a JSON object', async () => {
    const path = join(folder, 'customers.jsonl');
    const row = (id: string, aum: string | number) =>
      JSON.stringify({ 客户号: id, 网点: 'BR001', 开户日期: '2015/03/02', 姓名: '韩梅', 性别: '女', 出生日期: '19800101', 手机号: '13800001111', 证件号码: '330102198001011234', 职业: '职员', 资产余额: aum, 手机银行: true, 月交易笔数: 5 });
    writeFileSync(path, [row('J0001', '1,000.50'), 'not json', '', row('J0002', 2500), row('J0003', 'lots')].join('\n'));
    const store = createMemoryStore();
    const rejectFile = join(folder, 'jsonl.rejects.csv');
    const summary = await importCustomers(path, { store, mapping, rejectFile });
    expect(summary).toMatchObject({ format: 'jsonl', read: 4, stored: 2, rejected: 2 });
    expect((await store.customers.get('J0001'))?.assets.currentAum).toBe(1000.5);
    expect((await store.customers.get('J0002'))?.behaviour.mobileBankingActive).toBe(true);
    expect(readFileSync(rejectFile, 'utf8')).toMatch(/\n2,\(row\),"?not a JSON object/);
  });

  it('imports Parquet through DuckDB', async () => {
    const csv = join(folder, 'managers.csv');
    writeFileSync(csv, 'id,name,role,branchId,capacity\nM1,许经理,vip_wealth_manager,BR001,200\nM2,何经理,counter_wealth_manager,BR001,-5\n');
    const parquet = join(folder, 'managers.parquet');
    const duckdb = await DuckDBInstance.create(':memory:');
    const connection = await duckdb.connect();
    await connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true)) TO '${parquet}' (FORMAT parquet)`);
    connection.closeSync();
    duckdb.closeSync();

    const store = createMemoryStore();
    const summary = await importManagers(parquet, { store });
    expect(summary).toMatchObject({ format: 'parquet', read: 2, stored: 1, rejected: 1 });
    expect(await store.managers.get('M1')).toEqual({ id: 'M1', name: '许经理', role: 'vip_wealth_manager', branchId: 'BR001', capacity: 200 });
  });
});
