// The table layout a rule is pushed down to: which table and column hold each attribute, where set
// members and events live. Identifiers in generated SQL come only from here, never from a rule.
import type { AttributeDefinition, AttributeType } from '@kequn/core';
import { SqlPushdownError } from './errors.js';
import type { DialectRules } from './dialect.js';

/** Where one attribute lives in the customers table. A set attribute's column only marks null sets. */
export interface SqlAttributeColumn {
  readonly column: string;
  readonly type: AttributeType;
}

export interface SqlCustomersTable {
  readonly table: string;
  /** The customer id column (the primary key). */
  readonly id: string;
  readonly attributes: ReadonlyMap<string, SqlAttributeColumn>;
}

/** One row per member of a customer's set attribute; an empty set has no rows. */
export interface SqlSetValuesTable {
  readonly table: string;
  readonly customerId: string;
  /** The attribute id (`holdings.productTypes`) the member belongs to. */
  readonly attribute: string;
  readonly value: string;
}

/** One row per customer event; fields an event type does not have are NULL. */
export interface SqlEventsTable {
  readonly table: string;
  readonly customerId: string;
  readonly type: string;
  /** The calendar day (DATE) the event happened on, in the bank's time zone. */
  readonly occurredOn: string;
  readonly amount: string;
  readonly direction: string;
  readonly channel: string;
  readonly category: string;
  readonly outcome: string;
}

export interface SqlSchema {
  /** A PostgreSQL or DuckDB schema, or a MySQL database; omitted: the connection's default. */
  readonly namespace?: string;
  readonly customers: SqlCustomersTable;
  readonly setValues: SqlSetValuesTable;
  readonly events: SqlEventsTable;
}

export interface SqlSchemaOptions {
  namespace?: string;
  /** Put before every table name, e.g. `kq_` gives `kq_customers`. */
  tablePrefix?: string;
}

/** `assets.averageDailyAum3m` → `assets_average_daily_aum3m`. */
export function columnNameOf(attributeId: string): string {
  return attributeId.replaceAll('.', '_').replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

const customerIdColumn = 'customer_id';

/**
 * The default layout for a set of attributes: `customers` with one column per attribute (named by
 * `columnNameOf`), `customer_set_values` and `customer_events`. The loader creates exactly this.
 */
export function sqlSchemaFor(
  definitions: Iterable<Pick<AttributeDefinition, 'id' | 'type'>>,
  options: SqlSchemaOptions = {},
): SqlSchema {
  const prefix = options.tablePrefix ?? '';
  const attributes = new Map<string, SqlAttributeColumn>();
  const owners = new Map<string, string>([[customerIdColumn, 'the customer id']]);
  for (const { id, type } of definitions) {
    const column = columnNameOf(id);
    const owner = owners.get(column);
    if (owner !== undefined) {
      throw new SqlPushdownError(
        'KQ_SQL_INVALID_SCHEMA',
        `Attribute "${id}" would use the column "${column}", which already holds ${owner}. ` +
          'Map the attributes to columns yourself (build the SqlSchema by hand) or rename one of them.',
      );
    }
    owners.set(column, `attribute "${id}"`);
    attributes.set(id, { column, type });
  }
  return {
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    customers: { table: `${prefix}customers`, id: customerIdColumn, attributes },
    setValues: { table: `${prefix}customer_set_values`, customerId: customerIdColumn, attribute: 'attribute', value: 'value' },
    events: {
      table: `${prefix}customer_events`,
      customerId: customerIdColumn,
      type: 'event_type',
      occurredOn: 'occurred_on',
      amount: 'amount',
      direction: 'direction',
      channel: 'channel',
      category: 'category',
      outcome: 'outcome',
    },
  };
}

/** A table name, qualified by the schema's namespace when it has one, quoted for the dialect. */
export function qualifiedTable(schema: SqlSchema, table: string, rules: DialectRules): string {
  const quoted = rules.quote(table);
  return schema.namespace === undefined ? quoted : `${rules.quote(schema.namespace)}.${quoted}`;
}
