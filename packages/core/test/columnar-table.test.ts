import { describe, expect, it } from 'vitest';
import type { AttributeSource } from '../src/attributes/index.js';
import { AttributeError, customerAttributes } from '../src/attributes/index.js';
import type { Customer } from '../src/model/customer.js';
import {
  BOOLEAN_NULL,
  BOOLEAN_TRUE,
  ColumnarTable,
  NULL_CODE,
  NULL_EPOCH_DAY,
  TableError,
  testBit,
} from '../src/table/index.js';
import type { TableColumn } from '../src/table/index.js';
import { sampleCustomer, sampleCustomers } from './columnar-table.customers.js';

interface Account {
  id: string;
  balance?: number | null;
  age?: number | null;
  openedAt?: string | null;
  city?: string | null;
  tier?: string | null;
  tags?: readonly string[] | null;
  vip?: boolean | null;
}

const label = { 'zh-CN': '测试', en: 'Test' };
const options = { idOf: (account: Account) => account.id, asOf: '2026-01-15' };

const sources: AttributeSource<Account>[] = [
  { id: 'balance', type: 'money', label, piClass: 'C2', read: (account) => account.balance },
  {
    id: 'age',
    type: 'number',
    storage: 'uint8',
    label,
    piClass: 'C1',
    read: (account) => account.age,
  },
  { id: 'openedAt', type: 'date', label, piClass: 'C1', read: (account) => account.openedAt },
  { id: 'city', type: 'string', label, piClass: 'C1', read: (account) => account.city },
  {
    id: 'tier',
    type: 'enum',
    label,
    piClass: 'C1',
    values: [
      { value: 'mid', label: { 'zh-CN': '中端客户', en: 'Mid' } },
      { value: 'high', label: { 'zh-CN': '高端客户', en: 'High-end' } },
    ],
    read: (account) => account.tier,
  },
  { id: 'tags', type: 'set', open: true, label, piClass: 'C1', read: (account) => account.tags },
  { id: 'vip', type: 'boolean', label, piClass: 'C1', read: (account) => account.vip },
];

const full: Account = {
  id: 'A1',
  balance: 52_000.5,
  age: 61,
  openedAt: '2010-05-20',
  city: '杭州',
  tier: 'high',
  tags: ['老年', '代发'],
  vip: true,
};
const empty: Account = { id: 'A2' };

function columnOfKind<K extends TableColumn['kind']>(
  table: ColumnarTable<Account>,
  id: string,
  kind: K,
) {
  const column = table.column(id);
  if (column.kind !== kind) throw new Error(`expected a ${kind} column`);
  return column as Extract<TableColumn, { kind: K }>;
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('ColumnarTable', () => {
  it('decodes every attribute type back to what the sources read', () => {
    const table = ColumnarTable.build(sources, [full, empty], options);
    expect(table.size).toBe(2);
    expect(table.asOf).toBe('2026-01-15');
    const { id: _id, ...attributes } = full;
    expect(table.row(0)).toEqual(attributes);
    expect(table.row(1)).toEqual({
      balance: null,
      age: null,
      openedAt: null,
      city: null,
      tier: null,
      tags: null,
      vip: null,
    });
    expect(table.value(0, 'city')).toBe('杭州');
    expect(table.idAt(1)).toBe('A2');
    expect(table.indexOf('A2')).toBe(1);
    expect(table.indexOf('nobody')).toBeUndefined();
  });

  it('lays columns out as documented typed arrays', () => {
    const table = ColumnarTable.build(sources, [full, empty], options);
    const balance = columnOfKind(table, 'balance', 'number');
    expect(balance.values).toBeInstanceOf(Float64Array);
    expect(balance.values[0]).toBe(52_000.5);
    expect(Number.isNaN(balance.values[1])).toBe(true);
    expect(testBit(balance.nulls, 1)).toBe(true);

    const age = columnOfKind(table, 'age', 'number');
    expect(age.values).toBeInstanceOf(Uint8Array);
    expect(testBit(age.nulls, 0)).toBe(false);
    expect(testBit(age.nulls, 1)).toBe(true);

    const openedAt = columnOfKind(table, 'openedAt', 'date');
    expect(openedAt.days[0]).toBe(Date.UTC(2010, 4, 20) / 86_400_000);
    expect(openedAt.days[1]).toBe(NULL_EPOCH_DAY);

    const tier = columnOfKind(table, 'tier', 'dictionary');
    expect(tier.codeOf('mid')).toBe(1);
    expect(tier.codes[0]).toBe(tier.codeOf('high'));
    expect(tier.codes[1]).toBe(0);
    expect(tier.dictionary.valueAt(0)).toBeNull();
    expect(tier.codeOf('private')).toBeUndefined();

    const tags = columnOfKind(table, 'tags', 'set');
    expect(tags.members).toEqual(['老年', '代发']);
    expect(tags.words).toBe(1);
    expect(tags.bits[0]).toBe(0b11);
    expect(testBit(tags.nulls, 1)).toBe(true);

    expect(columnOfKind(table, 'vip', 'boolean').values[1]).toBe(BOOLEAN_NULL);
  });

  it('reports the changes of an upsert and appends new ids', () => {
    const table = ColumnarTable.build(sources, [full], options);
    const updated = table.upsert({ ...full, balance: 60_000, tags: ['代发'], vip: true });
    expect(updated).toEqual({
      index: 0,
      inserted: false,
      changes: [
        { attributeId: 'balance', before: 52_000.5, after: 60_000 },
        { attributeId: 'tags', before: ['老年', '代发'], after: ['代发'] },
      ],
    });
    const inserted = table.upsert({ id: 'A3', vip: false });
    expect(inserted).toEqual({
      index: 1,
      inserted: true,
      changes: [{ attributeId: 'vip', before: null, after: false }],
    });
  });

  it('tombstones removed rows, keeps indexes stable and revives an id at its old index', () => {
    const table = ColumnarTable.build(sources, [full, empty, { id: 'A3', vip: false }], options);
    expect(table.remove('A2')).toBe(true);
    expect(table.remove('A2')).toBe(false);
    expect(table.size).toBe(3);
    expect(table.liveCount).toBe(2);
    expect(table.isLive(1)).toBe(false);
    expect(testBit(table.live, 1)).toBe(false);
    expect(table.indexOf('A2')).toBeUndefined();
    expect(table.idAt(1)).toBe('A2');
    expect(table.indexOf('A3')).toBe(2);
    expect(table.upsert({ id: 'A2', age: 30 })).toMatchObject({ index: 1, inserted: true });
    expect(table.value(1, 'age')).toBe(30);
    expect(table.liveCount).toBe(3);
  });

  it('clears the values of removed rows so that rules never match them', () => {
    const table = ColumnarTable.build(sources, [full], options);
    table.remove('A1');
    expect(Object.values(table.row(0)).every((value) => value === null)).toBe(true);
  });

  it('adds a column computed from given rows, or null, and removes it', () => {
    const table = ColumnarTable.build(sources, [full, empty], options);
    const score: AttributeSource<Account> = {
      id: 'score',
      type: 'number',
      label,
      piClass: 'C1',
      read: (account) => (account.balance ?? 0) / 1000,
    };
    table.addColumn(score, [full, { id: 'unknown', balance: 1 }]);
    expect(table.value(0, 'score')).toBe(52.0005);
    expect(table.value(1, 'score')).toBeNull();
    expect(table.upsert({ ...empty, balance: 2000 }).changes).toContainEqual({
      attributeId: 'score',
      before: null,
      after: 2,
    });
    expect(table.removeColumn('score')).toBe(true);
    expect(table.hasColumn('score')).toBe(false);
    expect(table.removeColumn('score')).toBe(false);
    expect(
      (caught(() => table.addColumn(sources[0] as AttributeSource<Account>)) as TableError).code,
    ).toBe('KQ_TABLE_DUPLICATE_COLUMN');
  });

  it('throws KQ_TABLE_UNKNOWN_COLUMN with a suggestion for an unknown column', () => {
    const table = ColumnarTable.build(sources, [full], options);
    const error = caught(() => table.column('ballance'));
    expect(error).toBeInstanceOf(TableError);
    expect((error as TableError).code).toBe('KQ_TABLE_UNKNOWN_COLUMN');
    expect((error as TableError).message).toContain('Did you mean "balance"?');
  });

  it('throws KQ_ATTRIBUTE_VALUE_INVALID naming the attribute, row and value, and keeps the table unchanged', () => {
    const table = ColumnarTable.build(sources, [full], options);
    const error = caught(() => table.upsert({ ...full, balance: 1, age: 300 }));
    expect(error).toBeInstanceOf(AttributeError);
    expect((error as AttributeError).code).toBe('KQ_ATTRIBUTE_VALUE_INVALID');
    expect((error as AttributeError).message).toContain('"age"');
    expect((error as AttributeError).message).toContain('"A1"');
    expect((error as AttributeError).message).toContain('300');
    expect(table.value(0, 'balance')).toBe(52_000.5);

    const wrongType = caught(() => table.upsert({ ...full, openedAt: '2026-02-30' }));
    expect((wrongType as AttributeError).code).toBe('KQ_ATTRIBUTE_VALUE_INVALID');
    const notDeclared = caught(() => table.upsert({ ...full, tier: 'private' }));
    expect((notDeclared as AttributeError).message).toContain('"private"');
  });

  it('names the attribute and row when a read function throws', () => {
    const failing: AttributeSource<Account> = {
      id: 'broken',
      type: 'number',
      label,
      piClass: 'C1',
      read: () => {
        throw new Error('no such field');
      },
    };
    const error = caught(() => ColumnarTable.build([failing], [full], options));
    expect((error as TableError).code).toBe('KQ_TABLE_READ_FAILED');
    expect((error as TableError).message).toContain(
      '"broken" failed to read row "A1": no such field',
    );
  });

  it('rejects an as-of date that is not a calendar date and out-of-range indexes', () => {
    expect(
      (
        caught(() =>
          ColumnarTable.build(sources, [], { ...options, asOf: '15/01/2026' }),
        ) as TableError
      ).code,
    ).toBe('KQ_TABLE_OPTIONS_INVALID');
    const table = ColumnarTable.build(sources, [full], options);
    expect((caught(() => table.row(1)) as TableError).code).toBe('KQ_TABLE_ROW_OUT_OF_RANGE');
  });

  it('widens dictionary codes past 255 and 65535 distinct values', () => {
    const rows = Array.from({ length: 70_000 }, (_, index) => ({
      id: `A${index}`,
      city: `city-${index % 66_000}`,
    }));
    const table = ColumnarTable.build(sources, rows.slice(0, 300), {
      ...options,
      initialCapacity: 16,
    });
    expect(columnOfKind(table, 'city', 'dictionary').codes).toBeInstanceOf(Uint16Array);
    for (const row of rows.slice(300)) table.upsert(row);
    const city = columnOfKind(table, 'city', 'dictionary');
    expect(city.codes).toBeInstanceOf(Uint32Array);
    expect(city.dictionary.size).toBe(66_001);
    for (const index of [0, 255, 256, 65_535, 65_999, 69_999])
      expect(table.value(index, 'city')).toBe(`city-${index % 66_000}`);
  });

  it('keeps wide characters after Latin-1 strings in the same dictionary', () => {
    const table = ColumnarTable.build(
      sources,
      [
        { id: 'A', city: 'Hangzhou' },
        { id: 'B', city: '杭州' },
      ],
      options,
    );
    expect(table.value(0, 'city')).toBe('Hangzhou');
    expect(table.value(1, 'city')).toBe('杭州');
    expect(columnOfKind(table, 'city', 'dictionary').codeOf('杭州')).toBe(2);
  });

  it('widens an open set when it gains its 33rd value, keeping earlier rows', () => {
    const rows = Array.from({ length: 40 }, (_, index) => ({
      id: `A${index}`,
      tags: [`tag${index}`, 'tag0'],
    }));
    const table = ColumnarTable.build(sources, rows, options);
    const tags = columnOfKind(table, 'tags', 'set');
    expect(tags.words).toBe(2);
    expect(tags.bits.length).toBe(table.size * 2);
    expect(table.value(3, 'tags')).toEqual(['tag0', 'tag3']);
    expect(table.value(39, 'tags')).toEqual(['tag0', 'tag39']);
    expect(tags.memberOf('tag39')).toBe(39);
  });

  it('builds the built-in customer attributes and trims to the rows it holds', () => {
    const table = ColumnarTable.build(customerAttributes, sampleCustomers(2000), {
      idOf: (customer: Customer) => customer.id,
      asOf: '2026-01-15',
    });
    expect(table.size).toBe(2000);
    expect(table.attributeIds()).toEqual(customerAttributes.map((source) => source.id));
    const customer = sampleCustomer(1234);
    for (const source of customerAttributes) {
      const read = source.read(customer, { asOf: '2026-01-15' }) ?? null;
      const stored = table.value(1234, source.id);
      if (source.id === 'behaviour.monthlyTransactions' && typeof read === 'number') {
        expect(stored).toBe(Math.fround(read));
      } else if (Array.isArray(read)) {
        expect([...(stored as readonly string[])].sort()).toEqual([...read].sort());
      } else {
        expect(stored).toEqual(read);
      }
    }
    expect(
      columnOfKind(table as unknown as ColumnarTable<Account>, 'assets.currentAum', 'number').values
        .length,
    ).toBe(2000);
  });
  it('keeps the row bitmaps of codes, members and booleans current through upserts, removals and growth', () => {
    const accounts: Account[] = Array.from({ length: 70 }, (_unused, index) => ({
      id: `A${index}`,
      tier: index % 3 === 0 ? 'mid' : index % 3 === 1 ? 'high' : null,
      tags: index % 4 === 0 ? null : index % 2 === 0 ? ['代发'] : [],
      vip: index % 5 === 0 ? null : index % 2 === 0,
    }));
    const table = ColumnarTable.build(sources, accounts.slice(0, 10), { ...options, initialCapacity: 2 });
    const tier = columnOfKind(table, 'tier', 'dictionary');
    const tags = columnOfKind(table, 'tags', 'set');
    const vip = columnOfKind(table, 'vip', 'boolean');
    const bitmaps = () => ({
      high: tier.rowsWithCode(tier.codeOf('high') ?? -1),
      nullTier: tier.rowsWithCode(NULL_CODE),
      payroll: tags.rowsWithMember(tags.memberOf('代发') ?? -1),
      vip: vip.rowsWithValue(BOOLEAN_TRUE),
      nullVip: vip.rowsWithValue(BOOLEAN_NULL),
    });
    bitmaps();
    for (const account of accounts.slice(10)) table.upsert(account);
    table.upsert({ id: 'A3', tier: 'high', tags: ['代发'], vip: true });
    table.remove('A7');
    const current = bitmaps();
    for (let row = 0; row < table.size; row++) {
      expect(testBit(current.high, row)).toBe(table.value(row, 'tier') === 'high');
      expect(testBit(current.nullTier, row)).toBe(table.value(row, 'tier') === null);
      expect(testBit(current.payroll, row)).toBe((table.value(row, 'tags') as string[] | null)?.includes('代发') === true);
      expect(testBit(current.vip, row)).toBe(table.value(row, 'vip') === true);
      expect(testBit(current.nullVip, row)).toBe(table.value(row, 'vip') === null);
    }
  });
});
