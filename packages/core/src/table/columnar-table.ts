// The columnar customer table: one typed-array column per attribute, built by streaming any rows
// through attribute sources. The segmentation engine evaluates rules directly on the columns.
import { parseEpochDay } from '../attributes/calendar.js';
import { closestMatch } from '../attributes/closest.js';
import { assertValidDefinition } from '../attributes/registry.js';
import type { AttributeReadContext, AttributeSource, AttributeValue } from '../attributes/value.js';
import { checkAttributeValue } from '../attributes/value.js';
import { bitmapWordsFor, clearBit, resizeBitmap, setBit, testBit } from './bitmap.js';
import type { ColumnStore, TableColumn } from './columns.js';
import { createColumnStore } from './columns.js';
import { TableError } from './errors.js';
import { StringPool } from './string-dictionary.js';

export interface ColumnarTableOptions<Row> {
  /** The stable id of a row (the customer id); an id seen twice updates the earlier row. */
  idOf(row: Row): string;
  /** The ISO date (`YYYY-MM-DD`) the attributes are computed for. */
  asOf: string;
  /** Expected number of rows, to avoid regrowing while building. */
  initialCapacity?: number;
}

export interface AttributeChange {
  readonly attributeId: string;
  readonly before: AttributeValue | null;
  readonly after: AttributeValue | null;
}

export interface UpsertResult {
  readonly index: number;
  /** True when the id was not live before (new, or removed earlier and now back). */
  readonly inserted: boolean;
  /** Attributes whose decoded value changed; for an inserted row, every non-null attribute. */
  readonly changes: readonly AttributeChange[];
}

export type TableRow = Record<string, AttributeValue | null>;

const defaultCapacity = 1024;

interface Column<Row> {
  readonly source: AttributeSource<Row>;
  readonly store: ColumnStore;
}

function sameValue(before: AttributeValue | null, after: AttributeValue | null): boolean {
  if (Array.isArray(before) && Array.isArray(after)) {
    return (
      before.length === after.length && before.every((member, index) => member === after[index])
    );
  }
  return before === after;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Rows live at stable indexes 0…size-1. Removing a row leaves a tombstone: its live bit is cleared
 * and its values become null, so indexes held by segment bitsets stay valid. The same id upserted
 * again revives its old index. Evaluate rules over `live` (bit i set = row i is live).
 */
export class ColumnarTable<Row> {
  readonly #columns = new Map<string, Column<Row>>();
  /** The columns in order, kept as an array because every upsert walks them. */
  #ordered: Column<Row>[] = [];
  /** Row ids interned in index order: the id at index i has code i + 1. */
  readonly #ids: StringPool;
  readonly #idOf: (row: Row) => string;
  readonly #context: AttributeReadContext;
  #live: Uint32Array;
  #size = 0;
  #liveCount = 0;
  #capacity: number;

  private constructor(
    sources: readonly AttributeSource<Row>[],
    options: ColumnarTableOptions<Row>,
  ) {
    if (parseEpochDay(options.asOf) === undefined) {
      throw new TableError(
        'KQ_TABLE_OPTIONS_INVALID',
        `The table's asOf "${options.asOf}" is not a calendar date; pass the date the attributes are computed for as YYYY-MM-DD.`,
      );
    }
    this.#capacity = Math.max(1, Math.floor(options.initialCapacity ?? defaultCapacity));
    this.#ids = new StringPool(this.#capacity);
    this.#idOf = (row) => options.idOf(row);
    this.#context = Object.freeze({ asOf: options.asOf });
    this.#live = new Uint32Array(bitmapWordsFor(this.#capacity));
    for (const source of sources) this.#addStore(source);
  }

  /** Builds a table by streaming rows through the sources; rows are not kept. Spare capacity is trimmed. */
  static build<Row>(
    sources: readonly AttributeSource<Row>[],
    rows: Iterable<Row>,
    options: ColumnarTableOptions<Row>,
  ): ColumnarTable<Row> {
    const table = new ColumnarTable(sources, options);
    for (const row of rows) table.#upsert(row, false);
    table.trim();
    return table;
  }

  /** As `build`, for rows that arrive asynchronously (a database cursor, a file stream). */
  static async buildAsync<Row>(
    sources: readonly AttributeSource<Row>[],
    rows: AsyncIterable<Row> | Iterable<Row>,
    options: ColumnarTableOptions<Row>,
  ): Promise<ColumnarTable<Row>> {
    const table = new ColumnarTable(sources, options);
    for await (const row of rows) table.#upsert(row, false);
    table.trim();
    return table;
  }

  /** Number of row slots, live or removed: every column has a value for indexes below it. */
  get size(): number {
    return this.#size;
  }

  /** Number of live rows. */
  get liveCount(): number {
    return this.#liveCount;
  }

  get asOf(): string {
    return this.#context.asOf;
  }

  /** Bit i set = row i is live. Replaced when the table grows; read it again after changes. */
  get live(): Uint32Array {
    return this.#live;
  }

  isLive(index: number): boolean {
    this.#checkIndex(index);
    return testBit(this.#live, index);
  }

  /** The id of a row slot, also for a removed row (the id it had). */
  idAt(index: number): string {
    this.#checkIndex(index);
    return this.#ids.valueAt(index + 1) ?? '';
  }

  /** The index of a live row, or undefined. */
  indexOf(id: string): number | undefined {
    const code = this.#ids.codeOf(id);
    if (code === undefined || !testBit(this.#live, code - 1)) return undefined;
    return code - 1;
  }

  /** The attribute ids of the columns, in the order they were added. */
  attributeIds(): string[] {
    return [...this.#columns.keys()];
  }

  hasColumn(attributeId: string): boolean {
    return this.#columns.has(attributeId);
  }

  /** The live column of an attribute; throws `KQ_TABLE_UNKNOWN_COLUMN`. */
  column(attributeId: string): TableColumn {
    return this.#store(attributeId);
  }

  /** A row's value of one attribute, decoded; null for removed rows. */
  value(index: number, attributeId: string): AttributeValue | null {
    const store = this.#store(attributeId);
    this.#checkIndex(index);
    return store.read(index);
  }

  /** All values of a row, decoded, keyed by attribute id. */
  row(index: number): TableRow {
    this.#checkIndex(index);
    const decoded: TableRow = {};
    for (const [attributeId, { store }] of this.#columns) decoded[attributeId] = store.read(index);
    return decoded;
  }

  /**
   * Reads a row through every source and stores it, appending when its id is new. Every value is
   * read and checked before anything is written, so a bad value leaves the table unchanged.
   */
  upsert(row: Row): UpsertResult {
    return this.#upsert(row, true);
  }

  /** Removes a live row (tombstone: see the class comment). Returns false when the id is not live. */
  remove(id: string): boolean {
    const index = this.indexOf(id);
    if (index === undefined) return false;
    clearBit(this.#live, index);
    for (const { store } of this.#columns.values()) store.write(index, null);
    this.#liveCount -= 1;
    return true;
  }

  /**
   * Adds a column for an attribute registered after the table was built. Existing rows start null;
   * pass `rows` (any iterable of current rows) to compute them. Rows whose id is not live are ignored.
   */
  addColumn(source: AttributeSource<Row>, rows?: Iterable<Row>): TableColumn {
    const store = this.#addStore(source);
    for (let index = 0; index < this.#size; index++) store.write(index, null);
    for (const row of rows ?? []) {
      const id = this.#idOf(row);
      const index = this.indexOf(id);
      if (index === undefined) continue;
      store.write(index, this.#readValue(source, row, id));
    }
    return store;
  }

  /** Drops a column; false when there was none. */
  removeColumn(attributeId: string): boolean {
    const removed = this.#columns.delete(attributeId);
    this.#ordered = [...this.#columns.values()];
    return removed;
  }

  /** Gives back spare capacity (the table grows by doubling). */
  trim(): void {
    // A table built with the right initialCapacity has nothing to give back: copying every column
    // to arrays of the same length would only double its memory for a moment.
    const capacity = Math.max(1, this.#size);
    if (capacity !== this.#capacity) this.#resize(capacity);
    for (const { store } of this.#ordered) store.compact();
    this.#ids.trim();
  }

  /** Bytes held by typed arrays, dictionaries and the id index (JavaScript object overhead excluded). */
  memoryBytes(): number {
    let total = this.#ids.memoryBytes() + this.#live.byteLength;
    for (const { store } of this.#columns.values()) total += store.memoryBytes();
    return total;
  }

  #upsert(row: Row, trackChanges: boolean): UpsertResult {
    const id = this.#idOf(row);
    const values = this.#readRow(row, id);
    const existing = this.#ids.codeOf(id);
    if (existing === undefined) return this.#append(id, values, trackChanges);
    const index = existing - 1;
    if (!testBit(this.#live, index)) return this.#revive(index, values, trackChanges);
    return { index, inserted: false, changes: this.#overwrite(index, values) };
  }

  #addStore(source: AttributeSource<Row>): ColumnStore {
    assertValidDefinition(source);
    if (this.#columns.has(source.id)) {
      throw new TableError(
        'KQ_TABLE_DUPLICATE_COLUMN',
        `The table already has a column "${source.id}"; remove it first or give the new attribute another id.`,
      );
    }
    const store = createColumnStore(source, this.#capacity);
    this.#columns.set(source.id, { source, store });
    this.#ordered = [...this.#columns.values()];
    return store;
  }

  #store(attributeId: string): ColumnStore {
    const column = this.#columns.get(attributeId);
    if (column !== undefined) return column.store;
    const suggestion = closestMatch(attributeId, this.#columns.keys());
    const hint =
      suggestion === undefined ? 'The table has no columns.' : `Did you mean "${suggestion}"?`;
    throw new TableError(
      'KQ_TABLE_UNKNOWN_COLUMN',
      `The table has no column "${attributeId}". ${hint} Build the table with that attribute or add it with addColumn.`,
    );
  }

  #checkIndex(index: number): void {
    if (Number.isInteger(index) && index >= 0 && index < this.#size) return;
    throw new TableError(
      'KQ_TABLE_ROW_OUT_OF_RANGE',
      `Row index ${index} is outside the table (0 to ${this.#size - 1}); use indexOf(id) to find a row.`,
    );
  }

  #readValue(source: AttributeSource<Row>, row: Row, id: string): AttributeValue | null {
    let value: unknown;
    try {
      value = source.read(row, this.#context);
    } catch (error) {
      throw new TableError(
        'KQ_TABLE_READ_FAILED',
        `Attribute "${source.id}" failed to read row "${id}": ${describeError(error)}`,
        { cause: error },
      );
    }
    return checkAttributeValue(source, value, id);
  }

  #readRow(row: Row, id: string): (AttributeValue | null)[] {
    return this.#ordered.map(({ source }) => this.#readValue(source, row, id));
  }

  #append(
    id: string,
    values: readonly (AttributeValue | null)[],
    trackChanges: boolean,
  ): UpsertResult {
    const index = this.#size;
    if (index >= this.#capacity) this.#resize(this.#capacity * 2);
    // Ids are only ever interned here, one per new row, so the id's code is index + 1.
    this.#ids.intern(id);
    this.#size += 1;
    return this.#revive(index, values, trackChanges);
  }

  #revive(
    index: number,
    values: readonly (AttributeValue | null)[],
    trackChanges: boolean,
  ): UpsertResult {
    setBit(this.#live, index);
    this.#liveCount += 1;
    const changes: AttributeChange[] = [];
    this.#ordered.forEach(({ source, store }, position) => {
      store.write(index, values[position] ?? null);
      if (!trackChanges) return;
      const after = store.read(index);
      if (after !== null) changes.push({ attributeId: source.id, before: null, after });
    });
    return { index, inserted: true, changes };
  }

  #overwrite(index: number, values: readonly (AttributeValue | null)[]): AttributeChange[] {
    const changes: AttributeChange[] = [];
    this.#ordered.forEach(({ source, store }, position) => {
      const before = store.read(index);
      store.write(index, values[position] ?? null);
      const after = store.read(index);
      if (!sameValue(before, after)) changes.push({ attributeId: source.id, before, after });
    });
    return changes;
  }

  #resize(capacity: number): void {
    for (const { store } of this.#columns.values()) store.resize(capacity);
    this.#live = resizeBitmap(this.#live, capacity);
    this.#capacity = capacity;
  }
}
