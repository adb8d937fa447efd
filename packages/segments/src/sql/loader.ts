// Writes customers (their attribute values, read back from the columnar table the engine evaluates)
// and their events into a database in the layout of `sqlSchemaFor`, with batched, parameterised
// multi-row INSERTs. The loader talks to the database through a two-method executor, so this
// package carries no database driver.
import type { AttributeType, AttributeValue, ColumnarTable, CustomerEvent } from '@kequn/core';
import type { SqlDialect } from '../rule.js';
import type { DialectRules } from './dialect.js';
import { dialectRules } from './dialect.js';
import { SqlPushdownError } from './errors.js';
import { SqlParameters } from './parameters.js';
import type { SqlSchema } from './schema.js';
import { qualifiedTable } from './schema.js';

/** How a loaded cell is typed: dates travel as ISO strings, set columns as member counts. */
export type SqlCellKind = 'text' | 'double' | 'integer' | 'date' | 'boolean';

/** Rows for a bulk path, in `columns` order; values are strings, numbers, booleans or null. */
export interface SqlRowBatch {
  readonly namespace: string | undefined;
  readonly table: string;
  readonly columns: readonly string[];
  readonly kinds: readonly SqlCellKind[];
  readonly rows: readonly (readonly unknown[])[];
}

/** What the loader needs from a connection: run one statement with bound parameters. */
export interface SqlExecutor {
  readonly dialect: SqlDialect;
  run(sql: string, params: readonly unknown[]): Promise<void>;
  /**
   * A faster bulk path, when the driver has one (DuckDB's appender, PostgreSQL's COPY). Without it
   * the loader sends multi-row INSERTs through `run`.
   */
  appendRows?(batch: SqlRowBatch): Promise<void>;
}

export interface SqlLoadOptions {
  schema: SqlSchema;
  /** The customers, as the engine sees them: values are read from the table, so SQL compares the same numbers. */
  table: ColumnarTable<unknown>;
  /** Their events; events of customers not live in the table are skipped, as the engine's event store does. */
  events?: Iterable<CustomerEvent>;
  /** Rows per INSERT; fewer when a row has many columns, to stay under every server's parameter limit. */
  batchRows?: number;
}

export interface SqlLoadSummary {
  readonly customers: number;
  readonly setValues: number;
  readonly events: number;
}

interface TableWriter {
  readonly table: string;
  readonly columns: readonly string[];
  readonly kinds: readonly SqlCellKind[];
}

const cellKinds: Readonly<Record<AttributeType, SqlCellKind>> = {
  number: 'double',
  money: 'double',
  date: 'date',
  enum: 'text',
  string: 'text',
  set: 'integer',
  boolean: 'boolean',
};

/** The most placeholders one INSERT gets: below PostgreSQL's and MySQL's 65,535. */
const maxParametersPerStatement = 30_000;

function ruleFor(executor: SqlExecutor): DialectRules {
  return dialectRules(executor.dialect);
}

function columnList(rules: DialectRules, columns: readonly string[]): string {
  return columns.map((column) => rules.quote(column)).join(', ');
}

/** CREATE SCHEMA/DATABASE (when the schema has a namespace) and the three tables. */
export async function createSqlTables(executor: SqlExecutor, schema: SqlSchema): Promise<void> {
  const rules = ruleFor(executor);
  if (schema.namespace !== undefined) {
    const kind = executor.dialect === 'mysql' ? 'DATABASE' : 'SCHEMA';
    await executor.run(`CREATE ${kind} IF NOT EXISTS ${rules.quote(schema.namespace)}`, []);
  }
  const { customers, setValues, events } = schema;
  const attributeColumns = [...customers.attributes.values()].map(
    ({ column, type }) => `${rules.quote(column)} ${rules.columnType(type)}`,
  );
  const statements = [
    [
      `${rules.quote(customers.id)} ${rules.columnType('id')} NOT NULL PRIMARY KEY`,
      ...attributeColumns,
    ],
    [
      `${rules.quote(setValues.customerId)} ${rules.columnType('id')} NOT NULL`,
      `${rules.quote(setValues.attribute)} ${rules.columnType('eventText')} NOT NULL`,
      `${rules.quote(setValues.value)} ${rules.columnType('string')} NOT NULL`,
    ],
    [
      `${rules.quote(events.customerId)} ${rules.columnType('id')} NOT NULL`,
      `${rules.quote(events.type)} ${rules.columnType('eventText')} NOT NULL`,
      `${rules.quote(events.occurredOn)} DATE NOT NULL`,
      `${rules.quote(events.amount)} ${rules.columnType('money')}`,
      ...[events.direction, events.channel, events.category, events.outcome].map(
        (column) => `${rules.quote(column)} ${rules.columnType('eventText')}`,
      ),
    ],
  ];
  const tables = [customers.table, setValues.table, events.table];
  for (const [index, definition] of statements.entries()) {
    const table = qualifiedTable(schema, tables[index] ?? '', rules);
    await executor.run(`CREATE TABLE ${table} (${definition.join(', ')})`, []);
  }
}

/** Drops the three tables if they exist (not the namespace: it may hold the bank's other tables). */
export async function dropSqlTables(executor: SqlExecutor, schema: SqlSchema): Promise<void> {
  const rules = ruleFor(executor);
  for (const table of [schema.events.table, schema.setValues.table, schema.customers.table]) {
    await executor.run(`DROP TABLE IF EXISTS ${qualifiedTable(schema, table, rules)}`, []);
  }
}

/** Buffers rows and sends them as multi-row INSERTs. */
class BatchInserter {
  readonly #rows: unknown[][] = [];
  readonly #rowsPerStatement: number;
  #written = 0;

  constructor(
    private readonly executor: SqlExecutor,
    private readonly schema: SqlSchema,
    private readonly writer: TableWriter,
    batchRows: number,
  ) {
    const fit = Math.floor(maxParametersPerStatement / writer.columns.length);
    this.#rowsPerStatement = Math.max(1, Math.min(batchRows, fit));
  }

  get written(): number {
    return this.#written;
  }

  async add(row: unknown[]): Promise<void> {
    this.#rows.push(row);
    if (this.#rows.length >= this.#rowsPerStatement) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    const count = this.#rows.length;
    await this.#send();
    this.#rows.length = 0;
    this.#written += count;
  }

  async #send(): Promise<void> {
    const { writer } = this;
    if (this.executor.appendRows !== undefined) {
      const batch = { namespace: this.schema.namespace, table: writer.table, columns: writer.columns, kinds: writer.kinds, rows: this.#rows };
      await this.executor.appendRows(batch);
      return;
    }
    const rules = ruleFor(this.executor);
    const params = new SqlParameters(rules);
    const tuples = this.#rows.map((row) => {
      const cells = row.map((value, index) =>
        writer.kinds[index] === 'date' && value !== null ? params.date(String(value)) : params.bind(value),
      );
      return `(${cells.join(', ')})`;
    });
    const table = qualifiedTable(this.schema, this.writer.table, rules);
    const sql = `INSERT INTO ${table} (${columnList(rules, writer.columns)}) VALUES ${tuples.join(', ')}`;
    await this.executor.run(sql, params.values);
  }
}

function setMembers(value: AttributeValue | null): readonly string[] {
  return Array.isArray(value) ? value : [];
}

/** A set attribute's column holds its member count, so that a null set stays distinguishable from an empty one. */
function cellOf(value: AttributeValue | null): unknown {
  if (Array.isArray(value)) return value.length;
  return value;
}

function eventRow(event: CustomerEvent): unknown[] {
  const day = event.occurredAt.slice(0, 10);
  switch (event.type) {
    case 'transaction':
      return [event.customerId, event.type, day, event.amount, event.direction, event.channel, event.category, null];
    case 'login':
      return [event.customerId, event.type, day, null, null, event.channel, null, null];
    case 'contact':
      return [event.customerId, event.type, day, null, null, event.channel, null, event.outcome];
    case 'purchase':
    case 'maturity':
      return [event.customerId, event.type, day, event.amount, null, null, null, null];
  }
}

function checkColumns(schema: SqlSchema, table: ColumnarTable<unknown>): void {
  for (const attributeId of schema.customers.attributes.keys()) {
    if (table.hasColumn(attributeId)) continue;
    throw new SqlPushdownError(
      'KQ_SQL_INVALID_SCHEMA',
      `The SQL schema maps attribute "${attributeId}", but the table has no such column. ` +
        'Build the schema from the attributes the table was built with (sqlSchemaFor(model.attributes.list())).',
    );
  }
}

/** Inserts every live row of the table, its set members and its events. Create the tables first. */
export async function loadCustomersIntoSql(executor: SqlExecutor, options: SqlLoadOptions): Promise<SqlLoadSummary> {
  const { schema, table } = options;
  checkColumns(schema, table);
  const batchRows = options.batchRows ?? 1_000;
  const mapped = [...schema.customers.attributes.entries()];
  const customers = new BatchInserter(executor, schema, {
    table: schema.customers.table,
    columns: [schema.customers.id, ...mapped.map(([, { column }]) => column)],
    kinds: ['text', ...mapped.map(([, { type }]) => cellKinds[type])],
  }, batchRows);
  const { setValues, events } = schema;
  const members = new BatchInserter(executor, schema, {
    table: setValues.table,
    columns: [setValues.customerId, setValues.attribute, setValues.value],
    kinds: ['text', 'text', 'text'],
  }, batchRows);
  for (let index = 0; index < table.size; index++) {
    if (!table.isLive(index)) continue;
    const id = table.idAt(index);
    const values = mapped.map(([attributeId]) => table.value(index, attributeId));
    await customers.add([id, ...values.map(cellOf)]);
    for (const [position, [attributeId, { type }]] of mapped.entries()) {
      if (type !== 'set') continue;
      for (const member of setMembers(values[position] ?? null)) await members.add([id, attributeId, member]);
    }
  }
  await customers.flush();
  await members.flush();
  const eventRows = new BatchInserter(executor, schema, {
    table: events.table,
    columns: [events.customerId, events.type, events.occurredOn, events.amount, events.direction, events.channel, events.category, events.outcome],
    kinds: ['text', 'text', 'date', 'double', 'text', 'text', 'text', 'text'],
  }, batchRows);
  for (const event of options.events ?? []) {
    if (table.indexOf(event.customerId) === undefined) continue;
    await eventRows.add(eventRow(event));
  }
  await eventRows.flush();
  return { customers: customers.written, setValues: members.written, events: eventRows.written };
}
