// compileRuleToSql: a rule of the engine's language as one SELECT of member ids, for PostgreSQL,
// DuckDB and MySQL/MariaDB. The WHERE clause keeps the rows whose rule is TRUE, so SQL's
// three-valued logic gives the engine's NULL semantics without translation.
import { parseEpochDay } from '@kequn/core';
import type { NoEventsCondition, Rule, SegmentDefinition, SqlDialect, SqlOperator } from '../rule.js';
import type { Compilation } from './context.js';
import { childPath, customerAlias, customerIdColumn } from './context.js';
import { compileCondition } from './conditions.js';
import { dialectRules, sqlDialects } from './dialect.js';
import { describePath, SqlPushdownError } from './errors.js';
import { compileEventAggregate, compileNoMatchingEvents } from './events.js';
import { SqlParameters } from './parameters.js';
import type { SqlSchema } from './schema.js';
import { qualifiedTable } from './schema.js';

export interface SqlCompileOptions {
  dialect: SqlDialect;
  /** Where attributes, set members and events live; see `sqlSchemaFor`. */
  schema: SqlSchema;
  /** The ISO date the rule is evaluated on: relative dates and event windows count back or on from it. */
  asOf: string;
  /** The segments `{ segment: id }` may reference; their rules are inlined. */
  segments?: Iterable<SegmentDefinition>;
  /** Contributed operators by id; one with a `sql` function can be pushed down. */
  operators?: ReadonlyMap<string, SqlOperator>;
}

export interface CompiledSql {
  /** `SELECT <customer id> FROM <customers> c WHERE …`: one row per member. */
  readonly sql: string;
  /** The values for the placeholders, in order (`$1`… for PostgreSQL and DuckDB, `?` for MySQL). */
  readonly params: unknown[];
}

function joined(compilation: Compilation, children: readonly Rule[], path: string, kind: 'all' | 'any'): string {
  if (children.length === 0) return kind === 'all' ? 'TRUE' : 'FALSE';
  const parts = children.map((child, index) => `(${compileNode(compilation, child, childPath(path, `${kind}[${index}]`))})`);
  return parts.join(kind === 'all' ? ' AND ' : ' OR ');
}

/**
 * A referenced segment is inlined. Membership is two-valued — a customer is in the segment or not —
 * so an unknown inside the referenced rule counts as "not a member".
 */
function segmentMembership(compilation: Compilation, segmentId: string, path: string): string {
  if (compilation.expanding.includes(segmentId)) {
    const chain = [...compilation.expanding, segmentId].map((id) => `"${id}"`).join(' → ');
    throw new SqlPushdownError(
      'KQ_SQL_SEGMENT_CYCLE',
      `${describePath(path)} references segment "${segmentId}", which references itself: ${chain}. Break the cycle.`,
      path,
    );
  }
  const rule = compilation.segments.get(segmentId);
  if (rule === undefined) {
    throw new SqlPushdownError(
      'KQ_SQL_UNKNOWN_SEGMENT',
      `${describePath(path)} references segment "${segmentId}", which is not among the segments passed to the compiler. ` +
        'Pass every referenced segment in `segments`.',
      path,
    );
  }
  const inner = { ...compilation, expanding: [...compilation.expanding, segmentId] };
  return `COALESCE((${compileNode(inner, rule, childPath(path, `segment(${segmentId})`))}), FALSE)`;
}

function idList(compilation: Compilation, ids: readonly string[]): string {
  if (ids.length === 0) return 'FALSE';
  const placeholders = ids.map((id) => compilation.params.bind(id));
  return `${customerIdColumn(compilation)} IN (${placeholders.join(', ')})`;
}

function noEvents(compilation: Compilation, rule: NoEventsCondition, path: string): string {
  // TRUE AND TRUE, NULL AND TRUE = NULL, anything AND FALSE = FALSE: exactly the documented truth table.
  const universe = compileNode(compilation, rule.noEvents.universe, childPath(path, 'noEvents.universe'));
  return `(${universe}) AND ${compileNoMatchingEvents(compilation, rule)}`;
}

function compileNode(compilation: Compilation, rule: Rule, path: string): string {
  if ('all' in rule) return joined(compilation, rule.all, path, 'all');
  if ('any' in rule) return joined(compilation, rule.any, path, 'any');
  if ('not' in rule) return `NOT (${compileNode(compilation, rule.not, childPath(path, 'not'))})`;
  if ('attribute' in rule) return compileCondition(compilation, rule, path);
  if ('segment' in rule) return segmentMembership(compilation, rule.segment, path);
  if ('ids' in rule) return idList(compilation, rule.ids);
  if ('events' in rule) return compileEventAggregate(compilation, rule.events, path);
  return noEvents(compilation, rule, path);
}

function segmentRules(segments: Iterable<SegmentDefinition>): Map<string, Rule> {
  const rules = new Map<string, Rule>();
  for (const segment of segments) rules.set(segment.id, segment.rule);
  return rules;
}

function checkOptions(options: SqlCompileOptions): number {
  if (!sqlDialects.includes(options.dialect)) {
    throw new SqlPushdownError(
      'KQ_SQL_INVALID_OPTIONS',
      `Unknown SQL dialect "${String(options.dialect)}"; use one of ${sqlDialects.join(', ')} ` +
        '(mysql also covers MariaDB, Doris, StarRocks, TiDB and OceanBase).',
    );
  }
  const asOfDay = parseEpochDay(options.asOf);
  if (asOfDay === undefined) {
    throw new SqlPushdownError(
      'KQ_SQL_INVALID_OPTIONS',
      `asOf "${options.asOf}" is not a calendar date; pass the date the rule is evaluated on as YYYY-MM-DD.`,
    );
  }
  return asOfDay;
}

/**
 * Compiles a rule to `SELECT <customer id> FROM <customers> c WHERE …`. Every value of the rule is a
 * bound parameter; identifiers come only from `schema`. Throws SqlPushdownError naming the node
 * that cannot be compiled (an operator without SQL, an unmapped attribute, an unknown segment).
 */
export function compileRuleToSql(rule: Rule, options: SqlCompileOptions): CompiledSql {
  const asOfDay = checkOptions(options);
  const rules = dialectRules(options.dialect);
  const params = new SqlParameters(rules);
  const compilation: Compilation = {
    rules,
    schema: options.schema,
    params,
    asOfDay,
    segments: segmentRules(options.segments ?? []),
    operators: options.operators ?? new Map(),
    expanding: [],
  };
  const predicate = compileNode(compilation, rule, '');
  const table = qualifiedTable(options.schema, options.schema.customers.table, rules);
  const sql = `SELECT ${customerIdColumn(compilation)} FROM ${table} ${customerAlias} WHERE ${predicate}`;
  return { sql, params: params.values };
}
