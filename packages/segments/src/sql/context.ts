// The state one compilation threads through the rule tree.
import type { Rule, SqlOperator } from '../rule.js';
import type { DialectRules } from './dialect.js';
import type { SqlParameters } from './parameters.js';
import type { SqlSchema } from './schema.js';

export interface Compilation {
  readonly rules: DialectRules;
  readonly schema: SqlSchema;
  readonly params: SqlParameters;
  /** The evaluation date as an epoch day: relative dates and event windows count from it. */
  readonly asOfDay: number;
  readonly segments: ReadonlyMap<string, Rule>;
  readonly operators: ReadonlyMap<string, SqlOperator>;
  /** Segments being inlined, outermost first, to refuse cycles. */
  readonly expanding: readonly string[];
}

/** The customers table's alias in every statement. */
export const customerAlias = 'c';

/** A column of the customers table, qualified by its alias. */
export function customerColumn(compilation: Compilation, column: string): string {
  return `${customerAlias}.${compilation.rules.quote(column)}`;
}

/** The customer id of the row being tested. */
export function customerIdColumn(compilation: Compilation): string {
  return customerColumn(compilation, compilation.schema.customers.id);
}

/** `all[2]` below `any[0]` is `any[0].all[2]`. */
export function childPath(path: string, step: string): string {
  return path === '' ? step : `${path}.${step}`;
}
