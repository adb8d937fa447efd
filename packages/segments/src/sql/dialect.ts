// What differs between the SQL dialects the push-down targets. Everything else the compiler emits
// is the SQL common to PostgreSQL, DuckDB and MySQL/MariaDB and the MySQL-compatible warehouses
// (Doris, StarRocks, TiDB, OceanBase): no arrays, no JSON functions, no FILTER clauses.
import type { AttributeType } from '@kequn/core';
import type { SqlDialect } from '../rule.js';

export const sqlDialects: readonly SqlDialect[] = ['postgres', 'mysql', 'duckdb'];

export interface DialectRules {
  readonly dialect: SqlDialect;
  /** A quoted identifier; quote characters inside are doubled, so no name can end the quoting. */
  quote(identifier: string): string;
  /** The placeholder of the 1-based parameter `position`. */
  placeholder(position: number): string;
  /**
   * A number parameter, typed so that the server never infers an integer from the context and then
   * refuses `2.5` (PostgreSQL would, compared with COUNT(*)).
   */
  numberParameter(placeholder: string): string;
  /** `starts with` over a column; `bindPrefix` binds the prefix once per call (MySQL needs it twice). */
  startsWith(column: string, bindPrefix: () => string): string;
  /** Column types for the tables the loader creates. */
  columnType(type: AttributeType | 'id' | 'eventText'): string;
}

function doubleQuoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function backQuoted(identifier: string): string {
  return `\`${identifier.replaceAll('`', '``')}\``;
}

const postgres: DialectRules = {
  dialect: 'postgres',
  quote: doubleQuoted,
  placeholder: (position) => `$${position}`,
  numberParameter: (placeholder) => `CAST(${placeholder} AS DOUBLE PRECISION)`,
  startsWith: (column, bindPrefix) => `starts_with(${column}, ${bindPrefix()})`,
  columnType: (type) => portableColumnType(type, 'DOUBLE PRECISION', 'TEXT'),
};

const duckdb: DialectRules = {
  dialect: 'duckdb',
  quote: doubleQuoted,
  placeholder: (position) => `$${position}`,
  numberParameter: (placeholder) => `CAST(${placeholder} AS DOUBLE)`,
  startsWith: (column, bindPrefix) => `starts_with(${column}, ${bindPrefix()})`,
  columnType: (type) => portableColumnType(type, 'DOUBLE', 'VARCHAR'),
};

// MySQL compares strings with the column's collation: the loader creates utf8mb4_bin columns so
// that equality is case-sensitive as in the engine. LEFT/CHAR_LENGTH rather than LIKE … ESCAPE,
// which not every MySQL-compatible warehouse parses.
const mysql: DialectRules = {
  dialect: 'mysql',
  quote: backQuoted,
  placeholder: () => '?',
  numberParameter: (placeholder) => placeholder,
  startsWith: (column, bindPrefix) =>
    `LEFT(${column}, CHAR_LENGTH(${bindPrefix()})) = ${bindPrefix()}`,
  columnType: (type) => {
    if (type === 'id') return 'VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
    if (type === 'enum' || type === 'string' || type === 'eventText') {
      return 'VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
    }
    return portableColumnType(type, 'DOUBLE', 'VARCHAR(255)');
  },
};

function portableColumnType(
  type: AttributeType | 'id' | 'eventText',
  double: string,
  text: string,
): string {
  switch (type) {
    case 'number':
    case 'money':
      return double;
    case 'date':
      return 'DATE';
    case 'boolean':
      return 'BOOLEAN';
    case 'set':
      return 'INTEGER';
    case 'id':
    case 'enum':
    case 'string':
    case 'eventText':
      return text;
  }
}

const rulesByDialect: Readonly<Record<SqlDialect, DialectRules>> = { postgres, duckdb, mysql };

export function dialectRules(dialect: SqlDialect): DialectRules {
  return rulesByDialect[dialect];
}
