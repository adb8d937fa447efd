// The fast path of a customer import: a CSV row's cells straight to the row a store writes (core's
// `storedCustomerRow`), with no record object, no zod parse and no JSON.stringify of a nested
// customer. Cells are read by the general path's readers (values.ts) or, for the costliest, by
// writers that take only their plain spellings and leave the rest to those readers (cell-writers.ts);
// the checks and the JSON come from writers derived from the customer schema (schema-writer.ts), and
// columns with few distinct values are remembered as JSON per text. A row the fast path
// does not take — any cell that cannot be read, any value the schema would refuse — goes the
// general way (rows.ts), where zod decides and words the reason. So it may only ever accept rows
// that zod accepts, writing exactly what the general path writes: the property tests hold it to that.
import type { StoredCustomerRow } from '@kequn/core';
import type { z } from 'zod';
import type { KindDefinition } from './kinds.js';
import type { ColumnMapping } from './mapping.js';
import { amountWriter, consentsWriter, dateTimeWriter, dateWriter, monthlyAveragesWriter, type CellWriter } from './cell-writers.js';
import { numberTest, objectEntries, objectList, schemaWriter, UnsupportedSchema, type Absent, type ObjectList, type ValueWriter } from './schema-writer.js';
import { CellProblem, readCell, type FieldType } from './values.js';

/** The lists core's customer document keeps as rows of values (see core's customer-document.ts). */
const customerValueRows: ReadonlySet<string> = new Set(['assets.monthlyAverages', 'holdings', 'consents']);

export interface Leaf {
  /** Position of the column in a row, or -1 when the file lacks it (then only a default fills it). */
  index: number;
  type: FieldType;
  translations: Record<string, string> | undefined;
  /** The mapping's default, used when the cell is empty. */
  fallback: unknown;
  /** Writes the cell's text straight to JSON (cell-writers.ts); read when the row is written. */
  direct: CellWriter | undefined;
  /** The schema's writer for the field. */
  write: ValueWriter | undefined;
  /**
   * The JSON each cell text seen so far makes (null: the row cannot take the fast path), for the
   * many columns with few distinct values (yes/no, codes, counts). Reading and writing a cell
   * depend on its text alone, so a remembered result is the result. Dropped once it holds
   * `MEMO_LIMIT` texts: the column's values are then mostly distinct (names, phones).
   */
  memo: Map<string, string | null> | undefined;
  /** The field's schema (wrappers taken off), and for a list of objects its parts: for byte-customers.ts. */
  node: z.core.$ZodType | undefined;
  list: ObjectList | undefined;
  /** For a number field, its checks. */
  numberTest: ((value: number) => boolean) | undefined;
}

export const MEMO_LIMIT = 1024;

/** How a row holds a leaf: its value read, its text for the direct writer, or its JSON already written. */
const READ = 0;
const DEFERRED = 1;
const WRITTEN = 2;

/** Writes one value of the row from the leaves read: a mapped field, or an object holding some. */
export type SlotWriter = { kind: 'leaf'; slot: number; leaf: Leaf; write: ValueWriter } | { kind: 'object'; slots: number[]; fields: SlotField[] };

/** One row being written: each leaf's value, or for a leaf written directly, its text (`deferred`). */
interface RowValues {
  values: unknown[];
  deferred: Uint8Array;
  offset: string;
}

export interface SlotField {
  /** `"key":`, and `,"key":` for a field after the first. */
  prefix: string;
  nextPrefix: string;
  absent: Absent;
  writer: SlotWriter | undefined;
}

export type FastCustomerRows = (cells: readonly string[]) => StoredCustomerRow | undefined;

function writeLeaf(row: RowValues, writer: Extract<SlotWriter, { kind: 'leaf' }>, out: string[]): boolean {
  const value = row.values[writer.slot];
  const held = row.deferred[writer.slot];
  if (held === READ) return writer.write(value, out);
  if (held === WRITTEN) return out.push(value as string) > 0;
  const mark = out.length;
  if ((writer.leaf.direct as CellWriter)(value as string, out)) return true;
  // A spelling the direct writer does not take: read the cell the general way.
  out.length = mark;
  const read = readCell(value, writer.leaf.type, row.offset);
  return !(read instanceof CellProblem) && writer.write(read, out);
}

function slotField(key: string, absent: Absent, writer: SlotWriter | undefined): SlotField {
  return { prefix: `${JSON.stringify(key)}:`, nextPrefix: `,${JSON.stringify(key)}:`, absent, writer };
}

function isPresent(values: readonly unknown[], writer: SlotWriter): boolean {
  if (writer.kind === 'leaf') return values[writer.slot] !== undefined;
  for (const slot of writer.slots) if (values[slot] !== undefined) return true;
  return false;
}

function writeSlots(row: RowValues, writer: SlotWriter, out: string[]): boolean {
  if (writer.kind === 'leaf') return writeLeaf(row, writer, out);
  out.push('{');
  let written = 0;
  for (const field of writer.fields) {
    const present = field.writer !== undefined && isPresent(row.values, field.writer);
    if (!present && field.absent.kind === 'omit') continue;
    if (!present && field.absent.kind === 'required') return false;
    out.push(written > 0 ? field.nextPrefix : field.prefix);
    written += 1;
    if (!present) out.push((field.absent as { json: string }).json);
    else if (!writeSlots(row, field.writer as SlotWriter, out)) return false;
  }
  out.push('}');
  return true;
}

/** What both fast paths (this file's, over strings, and byte-customers.ts's, over bytes) are compiled from. */
export interface CustomerRowPlan {
  leaves: Leaf[];
  root: Extract<SlotWriter, { kind: 'object' }>;
  idSlot: number;
  branchSlot: number;
  managerSlot: number | undefined;
  /** The bank's zone offset for date-times without one. */
  offset: string;
}

/**
 * Plans the fast path for a customer CSV, or returns undefined where it cannot be planned (the
 * schema uses what schema-writer.ts does not understand, a field is mapped from two columns, a
 * required field is not mapped at all): then every row goes the general way.
 */
export function planCustomerRows(definition: KindDefinition, mapping: ColumnMapping, header: readonly string[]): CustomerRowPlan | undefined {
  const indexOf = new Map(header.map((column, index) => [column.trim(), index]));
  const leaves: Leaf[] = [];
  const slotOf = new Map<string, number>();
  for (const [column, field] of Object.entries(mapping.columns)) {
    if (slotOf.has(field)) return undefined;
    slotOf.set(field, leaves.length);
    leaves.push({ index: indexOf.get(column) ?? -1, type: definition.fields[field] ?? 'string', translations: mapping.values[field], fallback: mapping.defaults[field], direct: undefined, write: undefined, memo: undefined, node: undefined, list: undefined, numberTest: undefined });
  }
  for (const [field, value] of Object.entries(mapping.defaults)) {
    if (slotOf.has(field)) continue;
    slotOf.set(field, leaves.length);
    leaves.push({ index: -1, type: definition.fields[field] ?? 'string', translations: undefined, fallback: value, direct: undefined, write: undefined, memo: undefined, node: undefined, list: undefined, numberTest: undefined });
  }
  const idSlot = slotOf.get('id');
  const branchSlot = slotOf.get('branchId');
  const managerSlot = slotOf.get('relationshipManagerId');
  if (idSlot === undefined || branchSlot === undefined) return undefined;

  const reached = new Set<string>();
  const writerAt = (path: string, node: z.core.$ZodType): SlotWriter | undefined => {
    const slot = slotOf.get(path);
    if (slot !== undefined) {
      reached.add(path);
      const leaf = leaves[slot] as Leaf;
      const list = leaf.translations === undefined ? objectList(node, customerValueRows, path) : undefined;
      if (list !== undefined && leaf.type === 'monthlyAverages') leaf.direct = monthlyAveragesWriter(list);
      if (list !== undefined && leaf.type === 'consents') leaf.direct = consentsWriter(list);
      const number = leaf.translations === undefined && (leaf.type === 'amount' || leaf.type === 'number') ? numberTest(node) : undefined;
      if (number !== undefined) leaf.direct = amountWriter(number);
      leaf.node = node;
      leaf.list = list;
      leaf.numberTest = number;
      leaf.write = schemaWriter(node, customerValueRows, path);
      const isString = leaf.translations === undefined && (node._zod.def as { type: string }).type === 'string';
      if (isString && leaf.type === 'date') leaf.direct = dateWriter(leaf.write);
      if (isString && leaf.type === 'datetime') leaf.direct = dateTimeWriter(leaf.write);
      // The stored row's own columns are taken from the values read, so they are not remembered as JSON.
      if (leaf.direct === undefined && !['id', 'branchId', 'relationshipManagerId'].includes(path)) leaf.memo = new Map();
      return { kind: 'leaf', slot, leaf, write: leaf.write };
    }
    const below = [...slotOf.keys()].filter((field) => field.startsWith(`${path}.`));
    if (below.length === 0) return undefined;
    const fields = objectEntries(node, path).map((field) => slotField(field.key, field.absent, writerAt(field.path, field.node)));
    return { kind: 'object', slots: below.map((field) => slotOf.get(field) as number), fields };
  };

  let root: SlotField[];
  try {
    root = objectEntries(definition.schema, '').map((field) => slotField(field.key, field.absent, writerAt(field.path, field.node)));
  } catch (error) {
    if (error instanceof UnsupportedSchema) return undefined;
    throw error;
  }
  // A mapped field the schema has no place for, or a required one nobody maps: leave it to zod.
  if (reached.size !== slotOf.size) return undefined;
  if (root.some((field) => field.writer === undefined && field.absent.kind === 'required')) return undefined;
  return { leaves, root: { kind: 'object', slots: [...slotOf.values()], fields: root }, idSlot, branchSlot, managerSlot, offset: mapping.dateTimeOffset };
}

/** Compiles the fast path over strings (see planCustomerRows), or undefined where none can be. */
export function compileFastCustomerRows(definition: KindDefinition, mapping: ColumnMapping, header: readonly string[]): FastCustomerRows | undefined {
  const plan = planCustomerRows(definition, mapping, header);
  if (plan === undefined) return undefined;
  const { leaves, root: rootWriter, idSlot, branchSlot, managerSlot } = plan;
  const row: RowValues = { values: new Array<unknown>(leaves.length), deferred: new Uint8Array(leaves.length), offset: plan.offset };
  const { values, deferred, offset } = row;
  // The pieces of one row's document, joined into one string when the row is done.
  const pieces: string[] = [];
  // The pieces of one remembered cell's JSON.
  const cellPieces: string[] = [];
  return (cells) => {
    for (let slot = 0; slot < leaves.length; slot++) {
      const leaf = leaves[slot] as Leaf;
      const text: string | undefined = leaf.index === -1 ? undefined : cells[leaf.index];
      const memo = leaf.memo;
      if (memo !== undefined && text !== undefined) {
        const known = memo.get(text);
        if (known === null) return undefined;
        if (known !== undefined) {
          values[slot] = known;
          deferred[slot] = WRITTEN;
          continue;
        }
      }
      const raw = text !== undefined && leaf.translations !== undefined ? (leaf.translations[text.trim()] ?? text) : text;
      if (leaf.direct !== undefined && raw !== undefined && raw.trim() !== '') {
        values[slot] = raw;
        deferred[slot] = DEFERRED;
        continue;
      }
      const value = readCell(raw, leaf.type, offset);
      if (memo !== undefined && text !== undefined && value !== undefined) {
        let json: string | null = null;
        if (!(value instanceof CellProblem)) {
          cellPieces.length = 0;
          if ((leaf.write as ValueWriter)(value, cellPieces)) json = cellPieces.join('');
        }
        if (memo.size < MEMO_LIMIT) memo.set(text, json);
        else leaf.memo = undefined;
        if (json === null) return undefined;
        values[slot] = json;
        deferred[slot] = WRITTEN;
        continue;
      }
      if (value instanceof CellProblem) return undefined;
      values[slot] = value === undefined ? leaf.fallback : value;
      deferred[slot] = READ;
    }
    pieces.length = 0;
    if (!writeSlots(row, rootWriter, pieces)) return undefined;
    const document = pieces.join('');
    const manager = managerSlot === undefined ? undefined : values[managerSlot];
    return { id: values[idSlot] as string, branchId: values[branchSlot] as string, managerId: manager === undefined ? null : (manager as string), document };
  };
}

