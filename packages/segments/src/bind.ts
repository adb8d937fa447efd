// Binding a plan to a table at an evaluation date: each leaf gets the typed arrays it reads and
// the constants it compares with (dictionary codes, epoch days, member masks). Bindings are cheap
// to redo, so they are taken afresh for every evaluation — the table's arrays may have been replaced.
import {
  BOOLEAN_FALSE,
  BOOLEAN_NULL,
  BOOLEAN_TRUE,
  NULL_CODE,
  type ColumnarTable,
  type NumberArray,
  type TableColumn,
} from '@kequn/core';
import { anniversaryMonthDays, lastPeriodBounds, monthDayKey, nextPeriodBounds } from './calendar.js';
import type { EventStore, RowMeasure } from './event-store.js';
import type { OperatorRegistry } from './operators.js';
import type { DayBounds, Leaf, NumberBounds, Plan, Truth } from './plan.js';

/** What a back end reads for one leaf; composite nodes have no binding. */
export type Binding =
  | ({ readonly kind: 'number'; readonly values: NumberArray | Float64Array; readonly nulls: Uint32Array } & NumberBounds)
  | { readonly kind: 'date'; readonly days: Int32Array; readonly from: number; readonly to: number }
  /** Truth per code: `table[codes[row]]`; covers dictionary and boolean columns, nulls included. */
  | { readonly kind: 'codes'; readonly codes: ArrayLike<number>; readonly table: Uint8Array; readonly nullCode: number }
  | { readonly kind: 'members'; readonly bits: Uint32Array; readonly words: number; readonly nulls: Uint32Array; readonly mask: Uint32Array; readonly mode: 'any' | 'all' | 'empty'; readonly impossible: boolean }
  /**
   * Row bitmaps the column keeps per code or member: UNKNOWN where `unknowns` has the row, else
   * TRUE where any of `trues` has it (every one of them when `every`). One word tests 32 rows.
   */
  | { readonly kind: 'rows'; readonly trues: readonly Uint32Array[]; readonly every: boolean; readonly unknowns: Uint32Array }
  /** TRUE where the bit is set, FALSE elsewhere (null tests, id lists). */
  | { readonly kind: 'bits'; readonly bits: Uint32Array }
  | { readonly kind: 'dateNull'; readonly days: Int32Array }
  | { readonly kind: 'anniversary'; readonly days: Int32Array; readonly monthDays: Uint8Array }
  | { readonly kind: 'call'; test(row: number): Truth }
  | { readonly kind: 'constant'; readonly value: Truth };

export interface BindContext {
  readonly table: ColumnarTable<unknown>;
  readonly asOfDay: number;
  readonly operators: OperatorRegistry;
  readonly events: EventStore | undefined;
  /** Caches event measures across evaluations: they are the only costly binding. */
  readonly measures: Map<string, RowMeasure>;
}

function truth(value: boolean): Truth {
  return value ? 2 : 0;
}

function resolveDays(bounds: DayBounds, asOfDay: number): { from: number; to: number } {
  if (bounds.type === 'fixed') return bounds;
  return bounds.type === 'last' ? lastPeriodBounds(asOfDay, bounds.period) : nextPeriodBounds(asOfDay, bounds.period);
}

function codeTable(column: TableColumn, leaf: Extract<Leaf, { kind: 'codes' }>): Uint8Array {
  if (column.kind !== 'dictionary') throw new TypeError(`Column ${column.definition.id} is not dictionary-encoded.`);
  const table = new Uint8Array(column.dictionary.size + 1);
  table[NULL_CODE] = 1;
  if (leaf.match === 'in') {
    for (const value of leaf.values) {
      const code = column.codeOf(value);
      if (code !== undefined) table[code] = 2;
    }
    return table;
  }
  for (const [code, value] of column.dictionary.entries()) table[code] = truth(leaf.values.some((prefix) => value.startsWith(prefix)));
  return table;
}

/**
 * Beyond this many codes or members a leaf scans the column instead: each bitmap costs a bit per
 * row for as long as the table lives, and ORing many of them gains little over the scan.
 */
export const MAX_ROW_BITMAPS = 4;

function trueCodes(table: Uint8Array): number[] {
  const codes: number[] = [];
  table.forEach((truth, code) => {
    if (truth === 2) codes.push(code);
  });
  return codes;
}

/** A dictionary test through the column's row bitmaps when few codes are true; the code scan otherwise. */
function codesBinding(column: TableColumn, table: Uint8Array): Binding {
  if (column.kind !== 'dictionary') throw new TypeError(`Column ${column.definition.id} is not dictionary-encoded.`);
  const codes = trueCodes(table);
  if (codes.length > MAX_ROW_BITMAPS) return { kind: 'codes', codes: column.codes, table, nullCode: NULL_CODE };
  return { kind: 'rows', trues: codes.map((code) => column.rowsWithCode(code)), every: false, unknowns: column.rowsWithCode(NULL_CODE) };
}

function bitsFromNulls(nulls: Uint32Array): Binding {
  return { kind: 'bits', bits: nulls };
}

function nullBinding(column: TableColumn): Binding {
  switch (column.kind) {
    case 'number':
    case 'set':
      return bitsFromNulls(column.nulls);
    case 'date':
      return { kind: 'dateNull', days: column.days };
    case 'dictionary':
      return bitsFromNulls(column.rowsWithCode(NULL_CODE));
    case 'boolean':
      return bitsFromNulls(column.rowsWithValue(BOOLEAN_NULL));
  }
}

function membersBinding(column: TableColumn, leaf: Extract<Leaf, { kind: 'members' }>): Binding {
  if (column.kind !== 'set') throw new TypeError(`Column ${column.definition.id} is not a set.`);
  const mask = new Uint32Array(column.words);
  let impossible = false;
  for (const member of leaf.members) {
    const index = column.memberOf(member);
    if (index === undefined) {
      // A member no row holds: containsAll can never hold; containsAny just ignores it.
      impossible = impossible || leaf.mode === 'all';
      continue;
    }
    mask[index >>> 5] = (mask[index >>> 5] ?? 0) | (1 << (index & 31));
  }
  if (leaf.mode === 'empty' || leaf.members.length > MAX_ROW_BITMAPS) {
    return { kind: 'members', bits: column.bits, words: column.words, nulls: column.nulls, mask, mode: leaf.mode, impossible };
  }
  // An impossible containsAll is false for every non-null row: no bitmap, and not `every`.
  const held = impossible ? [] : leaf.members.flatMap((member) => {
    const index = column.memberOf(member);
    return index === undefined ? [] : [column.rowsWithMember(index)];
  });
  return { kind: 'rows', trues: held, every: leaf.mode === 'all' && !impossible, unknowns: column.nulls };
}

function customBinding(leaf: Extract<Leaf, { kind: 'custom' }>, context: BindContext): Binding {
  const implementation = context.operators.get(leaf.op)?.implementation;
  if (implementation === undefined) throw new TypeError(`Operator ${leaf.op} has no implementation.`);
  const column = context.table.column(leaf.attribute);
  if (column.kind === 'dictionary') {
    // Dictionary columns are tested once per distinct value, not once per customer.
    const table = new Uint8Array(column.dictionary.size + 1);
    table[NULL_CODE] = 1;
    for (const [code, value] of column.dictionary.entries()) table[code] = truth(implementation.test(value, leaf.operand));
    return { kind: 'codes', codes: column.codes, table, nullCode: NULL_CODE };
  }
  const { table } = context;
  return {
    kind: 'call',
    test(row) {
      const value = table.value(row, leaf.attribute);
      return value === null ? 1 : truth(implementation.test(value, leaf.operand));
    },
  };
}

function idBits(table: ColumnarTable<unknown>, ids: readonly string[]): Uint32Array {
  const bits = new Uint32Array(Math.ceil(table.size / 32) + 1);
  for (const id of ids) {
    const row = table.indexOf(id);
    if (row !== undefined) bits[row >>> 5] = (bits[row >>> 5] ?? 0) | (1 << (row & 31));
  }
  return bits;
}

function eventBinding(leaf: Extract<Leaf, { kind: 'events' }>, context: BindContext): Binding {
  const key = `${JSON.stringify(leaf.aggregate)}@${context.asOfDay}`;
  let measure = context.measures.get(key);
  if (measure === undefined || measure.values.length < context.table.size) {
    measure = context.events === undefined
      ? { values: new Float64Array(context.table.size), nulls: new Uint32Array(Math.ceil(context.table.size / 32) + 1) }
      : context.events.measure(leaf.aggregate, context.asOfDay, context.table.size);
    if (context.events === undefined && leaf.aggregate.measure === 'avg') measure.nulls.fill(0xffffffff);
    context.measures.set(key, measure);
  }
  return { kind: 'number', values: measure.values, nulls: measure.nulls, lo: leaf.lo, hi: leaf.hi, loStrict: leaf.loStrict, hiStrict: leaf.hiStrict };
}

function bindLeaf(leaf: Leaf, context: BindContext): Binding {
  switch (leaf.kind) {
    case 'constant':
      return leaf;
    case 'ids':
      return { kind: 'bits', bits: idBits(context.table, leaf.ids) };
    case 'events':
      return eventBinding(leaf, context);
    case 'custom':
      return customBinding(leaf, context);
    default:
      return bindColumnLeaf(leaf, context);
  }
}

function bindColumnLeaf(leaf: Exclude<Leaf, { kind: 'constant' | 'ids' | 'events' | 'custom' }>, context: BindContext): Binding {
  const column = context.table.column(leaf.attribute);
  switch (leaf.kind) {
    case 'isNull':
      return nullBinding(column);
    case 'codes':
      return codesBinding(column, codeTable(column, leaf));
    case 'members':
      return membersBinding(column, leaf);
    case 'boolean': {
      if (column.kind !== 'boolean') throw new TypeError(`Column ${leaf.attribute} is not boolean.`);
      const wanted = column.rowsWithValue(leaf.value ? BOOLEAN_TRUE : BOOLEAN_FALSE);
      return { kind: 'rows', trues: [wanted], every: false, unknowns: column.rowsWithValue(BOOLEAN_NULL) };
    }
    case 'number':
      if (column.kind !== 'number') throw new TypeError(`Column ${leaf.attribute} is not a number.`);
      return { kind: 'number', values: column.values, nulls: column.nulls, lo: leaf.lo, hi: leaf.hi, loStrict: leaf.loStrict, hiStrict: leaf.hiStrict };
    case 'date':
      if (column.kind !== 'date') throw new TypeError(`Column ${leaf.attribute} is not a date.`);
      return { kind: 'date', days: column.days, ...resolveDays(leaf.bounds, context.asOfDay) };
    case 'anniversary': {
      if (column.kind !== 'date') throw new TypeError(`Column ${leaf.attribute} is not a date.`);
      const monthDays = new Uint8Array(monthDayKey(12, 31) + 1);
      for (const { month, day } of anniversaryMonthDays(context.asOfDay, { days: leaf.days })) monthDays[monthDayKey(month, day)] = 2;
      return { kind: 'anniversary', days: column.days, monthDays };
    }
  }
}

/** Bindings indexed like the plan's nodes (undefined for connectives). */
export function bindPlan(plan: Plan, context: BindContext): (Binding | undefined)[] {
  return plan.nodes.map((node) => (node.kind === 'leaf' ? bindLeaf(node.leaf, context) : undefined));
}
