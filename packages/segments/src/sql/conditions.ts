// Attribute conditions `{ attribute, op, value }` in SQL, one function per operator family.
// Each returns a boolean SQL expression that is NULL exactly when the engine's condition is unknown.
import type { AttributeType } from '@kequn/core';
import { fromEpochDay, parseEpochDay } from '@kequn/core';
import { anniversaryMonthDays, lastPeriodBounds, nextPeriodBounds, type DayRange } from '../calendar.js';
import { builtInOperatorIds, dayPeriodSchema, periodSchema } from '../rule.js';
import type { BuiltInOperatorId, Condition } from '../rule.js';
import type { Compilation } from './context.js';
import { childPath, customerColumn, customerIdColumn } from './context.js';
import { describePath, SqlPushdownError } from './errors.js';
import type { SqlAttributeColumn } from './schema.js';
import { qualifiedTable } from './schema.js';

const orderedTypes: readonly AttributeType[] = ['number', 'money', 'date'];
const scalarTypes: readonly AttributeType[] = ['number', 'money', 'date', 'enum', 'string', 'boolean'];
const everyType: readonly AttributeType[] = [...scalarTypes, 'set'];

/** The attribute types each built-in operator applies to (rule.ts documents the same list). */
const operatorTypes: Readonly<Record<BuiltInOperatorId, readonly AttributeType[]>> = {
  eq: scalarTypes,
  ne: scalarTypes,
  lt: orderedTypes,
  lte: orderedTypes,
  gt: orderedTypes,
  gte: orderedTypes,
  between: orderedTypes,
  in: ['number', 'money', 'date', 'enum', 'string'],
  notIn: ['number', 'money', 'date', 'enum', 'string'],
  startsWith: ['string', 'enum'],
  contains: ['set'],
  containsAny: ['set'],
  containsAll: ['set'],
  isEmpty: ['set'],
  isNull: everyType,
  isNotNull: everyType,
  withinLast: ['date'],
  withinNext: ['date'],
  anniversaryWithin: ['date'],
};

const comparisonSymbols = { eq: '=', ne: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

interface ConditionSite {
  readonly compilation: Compilation;
  readonly condition: Condition;
  readonly mapping: SqlAttributeColumn;
  /** The attribute's column, qualified and quoted. */
  readonly column: string;
  readonly path: string;
}

function isBuiltIn(op: string): op is BuiltInOperatorId {
  return (builtInOperatorIds as readonly string[]).includes(op);
}

function invalidOperand(site: ConditionSite, expected: string): SqlPushdownError {
  const { attribute, op } = site.condition;
  return new SqlPushdownError(
    'KQ_SQL_INVALID_OPERAND',
    `${childPath(site.path, 'value')}: expected ${expected} for "${attribute}" (${site.mapping.type}) ${op}, ` +
      `got ${JSON.stringify(site.condition.value) ?? 'nothing'}. Fix the value in the rule.`,
    childPath(site.path, 'value'),
  );
}

/** Binds one operand of the attribute's type, checked first so that the database never guesses. */
function bindScalar(site: ConditionSite, operand: unknown): string {
  const { params } = site.compilation;
  switch (site.mapping.type) {
    case 'number':
    case 'money':
      if (typeof operand === 'number' && Number.isFinite(operand)) return params.number(operand);
      throw invalidOperand(site, 'a finite number');
    case 'date':
      if (typeof operand === 'string' && parseEpochDay(operand) !== undefined) return params.date(operand);
      throw invalidOperand(site, 'an ISO date YYYY-MM-DD');
    case 'boolean':
      if (typeof operand === 'boolean') return params.bind(operand);
      throw invalidOperand(site, 'true or false');
    case 'enum':
    case 'string':
    case 'set':
      if (typeof operand === 'string') return params.bind(operand);
      throw invalidOperand(site, 'a string');
  }
}

function operandList(site: ConditionSite, expected: string): readonly unknown[] {
  const operand = site.condition.value;
  if (Array.isArray(operand)) return operand;
  throw invalidOperand(site, expected);
}

function comparison(site: ConditionSite, op: keyof typeof comparisonSymbols): string {
  return `${site.column} ${comparisonSymbols[op]} ${bindScalar(site, site.condition.value)}`;
}

function between(site: ConditionSite): string {
  const bounds = operandList(site, 'a [low, high] pair');
  if (bounds.length !== 2) throw invalidOperand(site, 'a [low, high] pair');
  const low = bindScalar(site, bounds[0]);
  const high = bindScalar(site, bounds[1]);
  return `${site.column} BETWEEN ${low} AND ${high}`;
}

/** An empty list matches no value, but a null value still makes the condition unknown. */
function unknownWhenNull(site: ConditionSite, known: string): string {
  return `CASE WHEN ${site.column} IS NULL THEN NULL ELSE ${known} END`;
}

function membership(site: ConditionSite, negated: boolean): string {
  const values = operandList(site, 'an array of values');
  if (values.length === 0) return unknownWhenNull(site, negated ? 'TRUE' : 'FALSE');
  const placeholders = values.map((value) => bindScalar(site, value));
  return `${site.column} ${negated ? 'NOT IN' : 'IN'} (${placeholders.join(', ')})`;
}

function startsWith(site: ConditionSite): string {
  const prefix = site.condition.value;
  if (typeof prefix !== 'string') throw invalidOperand(site, 'a string prefix');
  return site.compilation.rules.startsWith(site.column, () => site.compilation.params.bind(prefix));
}

function dateRange(site: ConditionSite, range: DayRange): string {
  const { params } = site.compilation;
  const from = params.date(fromEpochDay(range.from));
  const to = params.date(fromEpochDay(range.to));
  return `${site.column} BETWEEN ${from} AND ${to}`;
}

function relativeDate(site: ConditionSite, direction: 'last' | 'next'): string {
  const period = periodSchema.safeParse(site.condition.value);
  if (!period.success) throw invalidOperand(site, 'a period such as { "days": 90 } or { "months": 3 }');
  const { asOfDay } = site.compilation;
  const range = direction === 'last' ? lastPeriodBounds(asOfDay, period.data) : nextPeriodBounds(asOfDay, period.data);
  return dateRange(site, range);
}

/** Runs of consecutive month-day keys, so a year's worth of days binds a dozen ranges, not 366 values. */
function keyRuns(keys: readonly number[]): DayRange[] {
  const runs: DayRange[] = [];
  for (const key of [...keys].sort((left, right) => left - right)) {
    const last = runs.at(-1);
    if (last !== undefined && key === last.to + 1) runs[runs.length - 1] = { from: last.from, to: key };
    else runs.push({ from: key, to: key });
  }
  return runs;
}

function anniversary(site: ConditionSite): string {
  const period = dayPeriodSchema.safeParse(site.condition.value);
  if (!period.success) throw invalidOperand(site, 'a period in days such as { "days": 7 }');
  const monthDays = anniversaryMonthDays(site.compilation.asOfDay, period.data);
  const keys = monthDays.map(({ month, day }) => month * 32 + day);
  // The same key as calendar.ts's monthDayKey, computed by the database from the stored date.
  const key = `(EXTRACT(MONTH FROM ${site.column}) * 32 + EXTRACT(DAY FROM ${site.column}))`;
  const { params } = site.compilation;
  const ranges = keyRuns(keys).map((run) => `${key} BETWEEN ${params.number(run.from)} AND ${params.number(run.to)}`);
  return `(${ranges.join(' OR ')})`;
}

/** Customers having set members that satisfy `memberFilter`, as an uncorrelated subquery. */
function setMembersQuery(site: ConditionSite, memberFilter: (valueColumn: string) => string): string {
  const { compilation } = site;
  const { setValues } = compilation.schema;
  const quote = compilation.rules.quote;
  const table = qualifiedTable(compilation.schema, setValues.table, compilation.rules);
  const attribute = compilation.params.bind(site.condition.attribute);
  const filter = memberFilter(`s.${quote(setValues.value)}`);
  const conditions = [`s.${quote(setValues.attribute)} = ${attribute}`, ...(filter === '' ? [] : [filter])];
  return `SELECT s.${quote(setValues.customerId)} FROM ${table} s WHERE ${conditions.join(' AND ')}`;
}

function memberOperands(site: ConditionSite): string[] {
  const members = operandList(site, 'an array of members');
  const strings = members.filter((member): member is string => typeof member === 'string');
  if (strings.length !== members.length) throw invalidOperand(site, 'an array of member strings');
  return [...new Set(strings)];
}

function hasMember(site: ConditionSite, member: string): string {
  const id = customerIdColumn(site.compilation);
  const query = setMembersQuery(site, (value) => `${value} = ${site.compilation.params.bind(member)}`);
  return `${id} IN (${query})`;
}

function setCondition(site: ConditionSite, op: 'contains' | 'containsAny' | 'containsAll' | 'isEmpty'): string {
  const id = customerIdColumn(site.compilation);
  switch (op) {
    case 'contains': {
      const member = site.condition.value;
      if (typeof member !== 'string') throw invalidOperand(site, 'one member string');
      return unknownWhenNull(site, hasMember(site, member));
    }
    case 'containsAny': {
      const members = memberOperands(site);
      if (members.length === 0) return unknownWhenNull(site, 'FALSE');
      const query = setMembersQuery(site, (value) => {
        const placeholders = members.map((member) => site.compilation.params.bind(member));
        return `${value} IN (${placeholders.join(', ')})`;
      });
      return unknownWhenNull(site, `${id} IN (${query})`);
    }
    case 'containsAll': {
      const members = memberOperands(site);
      if (members.length === 0) return unknownWhenNull(site, 'TRUE');
      const each = members.map((member) => hasMember(site, member));
      return unknownWhenNull(site, `(${each.join(' AND ')})`);
    }
    case 'isEmpty':
      return unknownWhenNull(site, `${id} NOT IN (${setMembersQuery(site, () => '')})`);
  }
}

function builtInCondition(site: ConditionSite, op: BuiltInOperatorId): string {
  switch (op) {
    case 'eq':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return comparison(site, op);
    case 'between':
      return between(site);
    case 'in':
      return membership(site, false);
    case 'notIn':
      return membership(site, true);
    case 'startsWith':
      return startsWith(site);
    case 'contains':
    case 'containsAny':
    case 'containsAll':
    case 'isEmpty':
      return setCondition(site, op);
    case 'isNull':
      return `${site.column} IS NULL`;
    case 'isNotNull':
      return `${site.column} IS NOT NULL`;
    case 'withinLast':
      return relativeDate(site, 'last');
    case 'withinNext':
      return relativeDate(site, 'next');
    case 'anniversaryWithin':
      return anniversary(site);
  }
}

/**
 * A contributed operator's own SQL. It is wrapped so that a null attribute gives NULL whatever the
 * plugin wrote: the engine never calls `test` with null, the condition is unknown.
 */
function contributedCondition(site: ConditionSite): string {
  const { compilation, condition, path } = site;
  const operator = compilation.operators.get(condition.op);
  const sql = operator?.sql?.(site.column, condition.value, {
    dialect: compilation.rules.dialect,
    bind: (value) => compilation.params.bind(value),
  });
  if (sql === undefined) {
    const reason =
      operator === undefined
        ? 'it is not a built-in operator and no operator of that id was passed in the options'
        : `its plugin gives no SQL for ${compilation.rules.dialect}`;
    throw new SqlPushdownError(
      'KQ_SQL_OPERATOR_WITHOUT_SQL',
      `Operator "${condition.op}" at ${describePath(path)} cannot be pushed down to SQL: ${reason}. ` +
        'Give the operator a `sql` implementation, pass it in `operators`, or evaluate this rule in memory.',
      path,
    );
  }
  return unknownWhenNull(site, `(${sql})`);
}

function notApplicable(site: ConditionSite, allowed: readonly AttributeType[]): SqlPushdownError {
  const { attribute, op } = site.condition;
  return new SqlPushdownError(
    'KQ_SQL_OPERATOR_NOT_APPLICABLE',
    `${describePath(site.path)}: operator "${op}" does not apply to "${attribute}", which is a ${site.mapping.type} ` +
      `attribute; "${op}" applies to ${allowed.join(', ')}. Choose another operator.`,
    site.path,
  );
}

export function compileCondition(compilation: Compilation, condition: Condition, path: string): string {
  const mapping = compilation.schema.customers.attributes.get(condition.attribute);
  if (mapping === undefined) {
    throw new SqlPushdownError(
      'KQ_SQL_UNMAPPED_ATTRIBUTE',
      `${describePath(path)} reads "${condition.attribute}", which the SQL schema maps to no column. ` +
        'Add it to schema.customers.attributes (sqlSchemaFor does this for every attribute you pass it).',
      path,
    );
  }
  const site: ConditionSite = {
    compilation,
    condition,
    mapping,
    column: customerColumn(compilation, mapping.column),
    path,
  };
  if (!isBuiltIn(condition.op)) return contributedCondition(site);
  const allowed = operatorTypes[condition.op];
  if (!allowed.includes(mapping.type)) throw notApplicable(site, allowed);
  return builtInCondition(site, condition.op);
}
