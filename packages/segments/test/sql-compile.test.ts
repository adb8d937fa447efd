// The SQL compiler's contract beyond agreement with the engine: values only ever travel as bound
// parameters, identifiers are quoted, and rules that cannot be pushed down fail naming the node.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule, SqlDialect, SqlOperator } from '../src/rule.js';
import { compileRuleToSql, createSqlTables, loadCustomersIntoSql, SqlPushdownError, sqlSchemaFor, type SqlSchema } from '../src/sql/index.js';
import { openDuckDb, type DuckDbDatabase } from '../bench/duckdb-connection.js';
import { ColumnarTable, type AttributeSource } from '@kequn/core';

interface Row {
  id: string;
  name: string | null;
  aum: number | null;
  goals: string[] | null;
}

const label = { 'zh-CN': '测试', en: 'test' };
const sources: AttributeSource<Row>[] = [
  { id: 'profile.name', type: 'string', label, piClass: 'C2', read: (row) => row.name },
  { id: 'assets.currentAum', type: 'money', label, piClass: 'C2', read: (row) => row.aum },
  { id: 'goals', type: 'set', label, piClass: 'C1', open: true, read: (row) => row.goals },
];
const rows: Row[] = [
  { id: 'a', name: "O'Brien", aum: 600_000, goals: ['house'] },
  { id: 'b', name: 'Zhang', aum: 20_000, goals: [] },
  { id: 'c', name: null, aum: null, goals: null },
];
const asOf = '2026-10-31';
const schema: SqlSchema = sqlSchemaFor(sources);
const dialects: readonly SqlDialect[] = ['postgres', 'mysql', 'duckdb'];

const hostile = ["'; DROP TABLE customers; --", 'x" OR "1"="1', 'a`b', '%_\\', '$1', '?', 'Robert); --'];

/** A rule whose every value slot holds `text` (or a number where only numbers fit). */
function ruleCarrying(text: string): Rule {
  return {
    any: [
      { attribute: 'profile.name', op: 'eq', value: text },
      { attribute: 'profile.name', op: 'in', value: [text, 'other'] },
      { attribute: 'profile.name', op: 'startsWith', value: text },
      { attribute: 'goals', op: 'contains', value: text },
      { attribute: 'goals', op: 'containsAll', value: [text] },
      { ids: [text] },
      { events: { type: 'contact', where: { outcome: [text], channel: [text] }, window: { days: 30 }, measure: 'count', op: 'gte', value: 1 } },
      { noEvents: { type: 'transaction', where: { category: [text] }, window: { days: 7 }, universe: { all: [] } } },
    ],
  };
}

describe('compileRuleToSql keeps values out of the SQL text', () => {
  it('binds every string value, hostile or not, as a parameter in every dialect', () => {
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...hostile), fc.string()), fc.constantFrom(...dialects), (text, dialect) => {
        const { sql, params } = compileRuleToSql(ruleCarrying(text), { dialect, schema, asOf });
        // The text is the same whatever the values: they cannot have reached it.
        expect(sql).toBe(compileRuleToSql(ruleCarrying('benign'), { dialect, schema, asOf }).sql);
        expect(params.filter((param) => param === text).length).toBeGreaterThanOrEqual(8);
        expect(sql).not.toContain('DROP');
        expect(sql).not.toContain("O'Brien");
      }),
      { numRuns: 300 },
    );
  });

  it('uses $n placeholders for PostgreSQL and DuckDB and ? for MySQL, one per parameter', () => {
    const rule = ruleCarrying('value');
    for (const dialect of dialects) {
      const { sql, params } = compileRuleToSql(rule, { dialect, schema, asOf });
      const placeholders = dialect === 'mysql' ? (sql.match(/\?/g) ?? []).length : new Set(sql.match(/\$\d+/g)).size;
      expect(placeholders, dialect).toBe(params.length);
    }
  });

  it('quotes identifiers for the dialect and doubles quote characters inside them', () => {
    const odd: SqlSchema = { ...schema, customers: { ...schema.customers, table: 'cust"om`ers' } };
    const rule: Rule = { attribute: 'assets.currentAum', op: 'gte', value: 1 };
    expect(compileRuleToSql(rule, { dialect: 'postgres', schema: odd, asOf }).sql).toBe(
      'SELECT c."customer_id" FROM "cust""om`ers" c WHERE c."assets_current_aum" >= CAST($1 AS DOUBLE PRECISION)',
    );
    expect(compileRuleToSql(rule, { dialect: 'mysql', schema: odd, asOf }).sql).toBe(
      'SELECT c.`customer_id` FROM `cust"om``ers` c WHERE c.`assets_current_aum` >= ?',
    );
  });
});

describe('rules that cannot be pushed down', () => {
  function failure(rule: Rule, options: { operators?: ReadonlyMap<string, SqlOperator> } = {}): SqlPushdownError {
    try {
      compileRuleToSql(rule, { dialect: 'postgres', schema, asOf, segments: [{ id: 'loop', rule: { segment: 'loop' } }], ...options });
    } catch (error) {
      if (error instanceof SqlPushdownError) return error;
      throw error;
    }
    throw new Error('expected the rule to be refused');
  }

  it('names the operator and the node when an operator has no SQL', () => {
    const rule: Rule = { all: [{ attribute: 'assets.currentAum', op: 'gte', value: 1 }, { any: [{ attribute: 'profile.name', op: 'acme.soundsLike', value: 'Li' }] }] };
    const error = failure(rule, { operators: new Map([['acme.soundsLike', {}]]) });
    expect(error.code).toBe('KQ_SQL_OPERATOR_WITHOUT_SQL');
    expect(error.path).toBe('all[1].any[0]');
    expect(error.message).toContain('"acme.soundsLike"');
    expect(error.message).toContain('all[1].any[0]');
    expect(failure(rule).code).toBe('KQ_SQL_OPERATOR_WITHOUT_SQL');
  });

  it('refuses unmapped attributes, unknown segments, cycles, bad operands and misapplied operators', () => {
    expect(failure({ attribute: 'assets.unknown', op: 'gt', value: 1 }).code).toBe('KQ_SQL_UNMAPPED_ATTRIBUTE');
    expect(failure({ not: { segment: 'nowhere' } })).toMatchObject({ code: 'KQ_SQL_UNKNOWN_SEGMENT', path: 'not' });
    expect(failure({ segment: 'loop' }).code).toBe('KQ_SQL_SEGMENT_CYCLE');
    expect(failure({ all: [{ attribute: 'assets.currentAum', op: 'gt', value: 'lots' }] })).toMatchObject({
      code: 'KQ_SQL_INVALID_OPERAND',
      path: 'all[0].value',
    });
    expect(failure({ attribute: 'goals', op: 'gt', value: 1 }).code).toBe('KQ_SQL_OPERATOR_NOT_APPLICABLE');
  });
});

describe('compiled SQL runs on DuckDB', () => {
  let database: DuckDbDatabase;
  const table = ColumnarTable.build(sources, rows, { idOf: (row) => row.id, asOf });

  beforeAll(async () => {
    database = await openDuckDb();
    await createSqlTables(database, schema);
    await loadCustomersIntoSql(database, { schema, table });
  });

  afterAll(() => database.close());

  async function members(rule: Rule, operators?: ReadonlyMap<string, SqlOperator>): Promise<string[]> {
    const { sql, params } = compileRuleToSql(rule, { dialect: 'duckdb', schema, asOf, ...(operators === undefined ? {} : { operators }) });
    return (await database.memberIds(sql, params)).sort();
  }

  it('matches a hostile value as data, without harm', async () => {
    expect(await members({ attribute: 'profile.name', op: 'eq', value: "O'Brien" })).toEqual(['a']);
    expect(await members({ attribute: 'profile.name', op: 'eq', value: hostile[0] ?? '' })).toEqual([]);
    expect(await members({ all: [] })).toEqual(['a', 'b', 'c']);
  });

  it('keeps null sets unknown and empty sets empty', async () => {
    expect(await members({ attribute: 'goals', op: 'isEmpty' })).toEqual(['b']);
    expect(await members({ not: { attribute: 'goals', op: 'isEmpty' } })).toEqual(['a']);
    expect(await members({ not: { attribute: 'goals', op: 'contains', value: 'house' } })).toEqual(['b']);
  });

  it("runs a contributed operator's SQL and keeps it unknown for nulls", async () => {
    const operators = new Map<string, SqlOperator>([
      ['acme.longerThan', { sql: (column, operand, { bind }) => `length(${column}) > ${bind(operand)}` }],
    ]);
    expect(await members({ attribute: 'profile.name', op: 'acme.longerThan', value: 5 }, operators)).toEqual(['a']);
    expect(await members({ not: { attribute: 'profile.name', op: 'acme.longerThan', value: 5 } }, operators)).toEqual(['b']);
  });
});
