// The byte path of a customer import: a UTF-8 CSV row, as the file's bytes, straight to the UTF-8
// JSON of the document a store writes, with no string per cell and no string per document. It is
// compiled from the same plan as the fast path over strings (fast-customers.ts) and writes exactly
// what that path writes: the cells that make up most of a row (monthly balances, consents, amounts,
// dates, date-times, names and numbers) are read from bytes by byte-cells.ts; columns with few
// distinct values are remembered as JSON by their bytes; any other cell, and any cell a byte reader
// declines, is made a string and read as the fast path reads it. A row that path would decline is
// declined here too, and goes the string way, where zod decides and words its reason.
import type { z } from 'zod';
import { MEMO_LIMIT, planCustomerRows, type Leaf, type SlotWriter } from './fast-customers.js';
import type {
  ByteOut} from './byte-cells.js';
import {
  ByteMemo,
  isIsoInstant,
  isMonthShape,
  ISO_DATE_PATTERN,
  ISO_DATE_TIME_PATTERN,
  monthKey,
  trimmable,
  writeByteAmount,
  writeByteDate,
  writePlainString,
} from './byte-cells.js';
import type { KindDefinition } from './kinds.js';
import type { ColumnMapping } from './mapping.js';
import type { ObjectField, ObjectList, ValueWriter } from './schema-writer.js';
import { CellProblem, readCell } from './values.js';

/**
 * The stored row's own columns (id, branch, manager) of the last row written: each as the bytes of
 * the row it was taken from as it is (`starts`/`ends`), or else as a value read.
 */
export class ByteRowColumns {
  bytes: Buffer = Buffer.alloc(0);
  /** Where each column's text is in `bytes`, or -1 where it was read otherwise (then `values` has it). */
  readonly starts = new Int32Array(3);
  readonly ends = new Int32Array(3);
  readonly values: unknown[] = [undefined, undefined, undefined];

  /** Column 0 (id), 1 (branch) or 2 (manager) as text; null for a manager not given. */
  text(column: number): string | null {
    const start = this.starts[column] as number;
    if (start !== -1) return this.bytes.toString('utf8', start, this.ends[column]);
    const value = this.values[column];
    return value === undefined ? (column === 2 ? null : '') : (value as string | null);
  }
}

/**
 * Writes the document of the row whose cell `i` is bytes `cells[base + 2i]`…`cells[base + 2i + 1]`
 * of `bytes` to `out` (from `out.at` on) and its columns to `columns`; false where the row must go
 * the string way (what it wrote is then to be taken back).
 */
export type ByteCustomerRows = (bytes: Buffer, cells: Int32Array, base: number, out: ByteOut, columns: ByteRowColumns) => boolean;

const PRESENT = 1;
const ABSENT = 0;
const DECLINED = -1;
type Outcome = typeof PRESENT | typeof ABSENT | typeof DECLINED;

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const SEMICOLON = 0x3b;
const COLON = 0x3a;
const PIPE = 0x7c;
const SLASH = 0x2f;
const LETTER_Y = 0x59;
const LETTER_N = 0x4e;

/** Constant bytes are plain Uint8Arrays, never Buffers: ByteOut.put then sees one kind of array and stays fast. */
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const TRUE = utf8('true');
const FALSE = utf8('false');

/** Reads a non-empty cell from bytes, writing its JSON; false leaves the cell to the string reading. */
type ByteReader = (bytes: Buffer, start: number, end: number, out: ByteOut) => boolean;

/** JSON of a cell (undefined: the field is absent; null: the row is declined), remembered by its bytes. */
type Remembered = Uint8Array | null | undefined;

interface ByteLeaf {
  kind: 'leaf';
  leaf: Leaf;
  /** For the stored row's own columns: 0 id, 1 branch, 2 manager; -1 for any other field. */
  column: number;
  read: ByteReader | undefined;
  /** What an empty cell or a missing column makes, when no translation applies to it. */
  empty: Remembered;
  memo: ByteMemo<Remembered> | undefined;
}

interface ByteField {
  prefix: Uint8Array;
  nextPrefix: Uint8Array;
  absent: 'omit' | 'required' | 'default';
  absentJson: Uint8Array;
  child: ByteObject | ByteLeaf | undefined;
}

interface ByteObject {
  kind: 'object';
  fields: ByteField[];
}

const defOf = (node: z.core.$ZodType): Record<string, unknown> => node._zod.def as unknown as Record<string, unknown>;
const checksOf = (node: z.core.$ZodType): Array<Record<string, unknown>> =>
  ((defOf(node)['checks'] ?? []) as Array<{ _zod: { def: Record<string, unknown> } }>).map((check) => check._zod.def);

/** A string schema with one of zod's ISO patterns that byte-cells.ts checks, and nothing more. */
function hasIsoPattern(node: z.core.$ZodType | undefined, pattern: string): boolean {
  if (node === undefined) return false;
  const def = defOf(node);
  return def['type'] === 'string' && String(def['pattern']) === pattern && checksOf(node).length === 0;
}

/** The length bounds of a plain string schema (no format, no pattern), or undefined for another schema. */
function plainStringBounds(node: z.core.$ZodType): { min: number; max: number } | undefined {
  const def = defOf(node);
  if (def['type'] !== 'string' || def['format'] !== undefined) return undefined;
  let min = 0;
  let max = Number.MAX_SAFE_INTEGER;
  for (const check of checksOf(node)) {
    if (check['check'] === 'min_length') min = Math.max(min, check['minimum'] as number);
    else if (check['check'] === 'max_length') max = Math.min(max, check['maximum'] as number);
    else if (check['check'] === 'length_equals') {
      min = Math.max(min, check['length'] as number);
      max = Math.min(max, check['length'] as number);
    } else return undefined;
  }
  return { min, max };
}

/** The JSON of a cell read the way the fast path over strings reads it (fast-customers.ts). */
function stringJson(leaf: Leaf, text: string | undefined, offset: string, pieces: string[]): string | null | undefined {
  const raw = text !== undefined && leaf.translations !== undefined ? (leaf.translations[text.trim()] ?? text) : text;
  const write = leaf.write as ValueWriter;
  if (leaf.direct !== undefined && raw !== undefined && raw.trim() !== '') {
    pieces.length = 0;
    if (leaf.direct(raw, pieces)) return pieces.join('');
    const read = readCell(raw, leaf.type, offset);
    if (read instanceof CellProblem) return null;
    pieces.length = 0;
    return write(read, pieces) ? pieces.join('') : null;
  }
  const value = readCell(raw, leaf.type, offset);
  if (value instanceof CellProblem) return null;
  const given = value === undefined ? leaf.fallback : value;
  if (given === undefined) return undefined;
  pieces.length = 0;
  return write(given, pieces) ? pieces.join('') : null;
}

const remembered = (json: string | null | undefined): Remembered => (typeof json === 'string' ? utf8(json) : json);

/**
 * For an enum of plain strings: the JSON of bytes `start`…`end` when they are one of its values
 * (the value quoted, as zod outputs it), by comparing bytes; null when they are none.
 */
function enumBytes(node: z.core.$ZodType): ((bytes: Buffer, start: number, end: number) => Uint8Array | null) | undefined {
  const def = defOf(node);
  if (def['type'] !== 'enum' || checksOf(node).length > 0) return undefined;
  const entries = Object.values(def['entries'] as Record<string, unknown>);
  if (!entries.every((entry) => typeof entry === 'string' && JSON.stringify(entry) === `"${entry}"`)) return undefined;
  const values = (entries as string[]).map((entry) => ({ bytes: utf8(entry), json: utf8(`"${entry}"`) }));
  return (bytes, start, end) => {
    const length = end - start;
    for (const value of values) {
      if (value.bytes.length !== length) continue;
      let same = true;
      for (let index = 0; index < length; index++) {
        if (value.bytes[index] !== bytes[start + index]) {
          same = false;
          break;
        }
      }
      if (same) return value.json;
    }
    return null;
  };
}

/** A small cache of the JSON a field's writer makes of short texts (enum values), by their bytes. */
function textMemo(write: ValueWriter): (bytes: Buffer, start: number, end: number) => Uint8Array | null {
  const memo = new ByteMemo<Uint8Array | null>();
  const pieces: string[] = [];
  return (bytes, start, end) => {
    const hash = ByteMemo.hash(bytes, start, end);
    const known = memo.get(bytes, start, end, hash);
    if (known !== undefined) return known.value;
    pieces.length = 0;
    const json = write(bytes.toString('utf8', start, end), pieces) ? utf8(pieces.join('')) : null;
    if (memo.size < MEMO_LIMIT) memo.set(bytes, start, end, hash, json);
    return json;
  };
}

function sameKeys(list: ObjectList, keys: readonly string[]): boolean {
  return list.fields.length === keys.length && list.fields.every((field, index) => field.key === keys[index]);
}

/** cell-writers.ts' monthlyAveragesWriter over bytes, for months stored as rows of values. */
function monthlyAveragesReader(list: ObjectList): ByteReader | undefined {
  if (!list.asValues || !sameKeys(list, ['month', 'averageDailyBalance'])) return undefined;
  if (list.fields.some((field) => field.absent.kind !== 'required' || field.nullable)) return undefined;
  const [monthField, amountField] = list.fields as [ObjectField, ObjectField];
  const amountTest = amountField.number;
  if (amountTest === undefined) return undefined;
  // Whether each month (as the number yyyymm) passes the month field's writer, which then writes it
  // as it is, quoted: 0 not yet asked, 1 yes, 2 no.
  const monthVerdicts = new Uint8Array(1_000_000);
  const pieces: string[] = [];
  const monthTaken = (bytes: Buffer, start: number): boolean => {
    const key = monthKey(bytes, start);
    let verdict = monthVerdicts[key];
    if (verdict === 0) {
      const month = bytes.toString('latin1', start, start + 7);
      pieces.length = 0;
      verdict = monthField.write(month, pieces) && pieces.join('') === `"${month}"` ? 1 : 2;
      monthVerdicts[key] = verdict;
    }
    return verdict === 1;
  };
  return (bytes, start, end, out) => {
    // A list in JSON is read by readCell; a `|` can be in no item this reads, so needs no search.
    if (bytes[start] === OPEN_BRACKET) return false;
    out.push(OPEN_BRACKET);
    let count = 0;
    for (let from = start; from < end; ) {
      let to = from;
      while (to < end && bytes[to] !== SEMICOLON) to += 1;
      // Empty items (`;;`, a trailing `;`) are skipped, as readList skips them.
      if (to > from) {
        if (to - from < 9 || bytes[from + 7] !== COLON || !isMonthShape(bytes, from, from + 7) || !monthTaken(bytes, from)) return false;
        out.ensure(12);
        const target = out.bytes;
        let at = out.at;
        if (count > 0) target[at++] = COMMA;
        target[at++] = OPEN_BRACKET;
        target[at++] = QUOTE;
        for (let index = from; index < from + 7; index++) target[at++] = bytes[index] as number;
        target[at++] = QUOTE;
        target[at++] = COMMA;
        out.at = at;
        if (!writeByteAmount(bytes, from + 8, to, amountTest, out)) return false;
        out.push(CLOSE_BRACKET);
        count += 1;
      }
      from = to + 1;
    }
    if (!list.lengthAllowed(count)) return false;
    out.push(CLOSE_BRACKET);
    return true;
  };
}

/** Writes bytes already known to need no escaping (a date-time) as a JSON string. */
function putQuoted(bytes: Buffer, start: number, end: number, out: ByteOut): void {
  out.ensure(end - start + 2);
  const target = out.bytes;
  let at = out.at;
  target[at++] = QUOTE;
  // A loop beats a native copy for the few dozen bytes of a date-time.
  for (let index = start; index < end; index++) target[at++] = bytes[index] as number;
  target[at++] = QUOTE;
  out.at = at;
}

/** cell-writers.ts' consentsWriter over bytes, for consents stored as rows of values. */
function consentsReader(list: ObjectList): ByteReader | undefined {
  if (!list.asValues || !sameKeys(list, ['channel', 'purpose', 'granted', 'recordedAt', 'expiresAt'])) return undefined;
  const [channel, purpose, granted, recordedAt, expiresAt] = list.fields as [ObjectField, ObjectField, ObjectField, ObjectField, ObjectField];
  if ([channel, purpose, granted, recordedAt].some((field) => field.absent.kind !== 'required' || field.nullable)) return undefined;
  if (expiresAt.absent.kind !== 'omit' || expiresAt.nullable || defOf(granted.node)['type'] !== 'boolean') return undefined;
  if (!hasIsoPattern(recordedAt.node, ISO_DATE_TIME_PATTERN) || !hasIsoPattern(expiresAt.node, ISO_DATE_TIME_PATTERN)) return undefined;
  const channelJson = (channel.nullable ? undefined : enumBytes(channel.node)) ?? textMemo(channel.write);
  const purposeJson = (purpose.nullable ? undefined : enumBytes(purpose.node)) ?? textMemo(purpose.write);
  return (bytes, start, end, out) => {
    if (bytes[start] === OPEN_BRACKET) return false;
    out.push(OPEN_BRACKET);
    let count = 0;
    for (let from = start; from < end; ) {
      // One pass finds the item's end and its slashes.
      let to = from;
      let first = -1;
      let second = -1;
      let third = -1;
      let fourth = -1;
      let found = 0;
      for (; to < end; to++) {
        const byte = bytes[to];
        if (byte === PIPE) break;
        if (byte !== SLASH) continue;
        found += 1;
        if (found === 1) first = to;
        else if (found === 2) second = to;
        else if (found === 3) third = to;
        else if (found === 4) fourth = to;
        // Parts after a fifth are ignored by readConsents, so such an item is left to it.
        else return false;
      }
      if (to > from) {
        // readConsents trims each item (never its parts): an item with spaces around it is left to it.
        if (found < 3 || trimmable(bytes, from, to)) return false;
        const grantedByte = third - second === 2 ? bytes[second + 1] : undefined;
        // Other spellings of yes and no are read the string way.
        if (grantedByte !== LETTER_Y && grantedByte !== LETTER_N) return false;
        const recordedEnd = fourth === -1 ? to : fourth;
        if (!isIsoInstant(bytes, third + 1, recordedEnd)) return false;
        const expires = fourth !== -1 && fourth + 1 < to;
        if (expires && !isIsoInstant(bytes, fourth + 1, to)) return false;
        const channelText = channelJson(bytes, from, first);
        const purposeText = purposeJson(bytes, first + 1, second);
        if (channelText === null || purposeText === null) return false;
        out.ensure(channelText.length + purposeText.length + 10);
        if (count > 0) out.bytes[out.at++] = COMMA;
        out.bytes[out.at++] = OPEN_BRACKET;
        out.put(channelText);
        out.bytes[out.at++] = COMMA;
        out.put(purposeText);
        out.bytes[out.at++] = COMMA;
        out.put(grantedByte === LETTER_Y ? TRUE : FALSE);
        out.bytes[out.at++] = COMMA;
        putQuoted(bytes, third + 1, recordedEnd, out);
        if (expires) {
          out.push(COMMA);
          putQuoted(bytes, fourth + 1, to, out);
        }
        out.push(CLOSE_BRACKET);
        count += 1;
      }
      from = to + 1;
    }
    if (!list.lengthAllowed(count)) return false;
    out.push(CLOSE_BRACKET);
    return true;
  };
}

/** The byte reader for a leaf, where one stands in for its string reading; undefined where none does. */
function byteReaderFor(leaf: Leaf): ByteReader | undefined {
  const node = leaf.node;
  if (leaf.translations !== undefined || node === undefined) return undefined;
  if (leaf.type === 'monthlyAverages') return leaf.list === undefined ? undefined : monthlyAveragesReader(leaf.list);
  if (leaf.type === 'consents') return leaf.list === undefined ? undefined : consentsReader(leaf.list);
  const test = leaf.numberTest;
  if ((leaf.type === 'amount' || leaf.type === 'number') && test !== undefined) return (bytes, start, end, out) => writeByteAmount(bytes, start, end, test, out);
  if (leaf.type === 'date' && hasIsoPattern(node, ISO_DATE_PATTERN)) return writeByteDate;
  if (leaf.type === 'datetime' && hasIsoPattern(node, ISO_DATE_TIME_PATTERN)) {
    return (bytes, start, end, out) => {
      if (!isIsoInstant(bytes, start, end)) return false;
      putQuoted(bytes, start, end, out);
      return true;
    };
  }
  if (leaf.type !== 'string' || defOf(node)['type'] !== 'string') return undefined;
  const bounds = plainStringBounds(node);
  // readCell trims a string; one with anything to trim is read the string way.
  if (bounds !== undefined) return (bytes, start, end, out) => !trimmable(bytes, start, end) && writePlainString(bytes, start, end, bounds.min, bounds.max, out);
  // A string with a format (an e-mail address, a pattern): its text is checked by the schema's own
  // writer, and, needing no escapes, written as the bytes it came from.
  const write = leaf.write as ValueWriter;
  const pieces: string[] = [];
  return (bytes, start, end, out) => {
    if (trimmable(bytes, start, end)) return false;
    const mark = out.at;
    if (!writePlainString(bytes, start, end, 0, Number.MAX_SAFE_INTEGER, out)) return false;
    pieces.length = 0;
    if (write(bytes.toString('utf8', start, end), pieces)) return true;
    out.at = mark;
    return false;
  };
}

/**
 * Compiles the byte path for a customer CSV's header and mapping, or returns undefined where the
 * fast path cannot be planned at all (then rows go the general way).
 */
export function compileByteCustomerRows(definition: KindDefinition, mapping: ColumnMapping, header: readonly string[]): ByteCustomerRows | undefined {
  const plan = planCustomerRows(definition, mapping, header);
  if (plan === undefined) return undefined;
  const { offset } = plan;
  const pieces: string[] = [];
  const byteLeaves = plan.leaves.map((leaf, slot): ByteLeaf => {
    const read = byteReaderFor(leaf);
    const column = slot === plan.idSlot ? 0 : slot === plan.branchSlot ? 1 : slot === plan.managerSlot ? 2 : -1;
    // The stored row's own columns are read again as values, so they are not remembered as JSON.
    const memo = read === undefined && column === -1 ? new ByteMemo<Remembered>() : undefined;
    return { kind: 'leaf', leaf, column, read, empty: remembered(stringJson(leaf, undefined, offset, pieces)), memo };
  });

  const compileObject = (writer: Extract<SlotWriter, { kind: 'object' }>): ByteObject => ({
    kind: 'object',
    fields: writer.fields.map((field): ByteField => ({
      prefix: utf8(field.prefix),
      nextPrefix: utf8(field.nextPrefix),
      absent: field.absent.kind,
      absentJson: utf8(field.absent.kind === 'default' ? field.absent.json : ''),
      child: field.writer === undefined ? undefined : field.writer.kind === 'leaf' ? byteLeaves[field.writer.slot] : compileObject(field.writer),
    })),
  });
  const root = compileObject(plan.root);

  let bytes: Buffer;
  let cells: Int32Array;
  let base: number;
  let out: ByteOut;

  const putRemembered = (json: Remembered): Outcome => {
    if (json === null) return DECLINED;
    if (json === undefined) return ABSENT;
    out.put(json);
    return PRESENT;
  };
  const putJson = (json: string | null | undefined): Outcome => {
    if (json === null) return DECLINED;
    if (json === undefined) return ABSENT;
    out.putText(json);
    return PRESENT;
  };

  const writeLeaf = (byteLeaf: ByteLeaf): Outcome => {
    const { leaf } = byteLeaf;
    if (leaf.index === -1) return putRemembered(byteLeaf.empty);
    const start = cells[base + 2 * leaf.index] as number;
    const end = cells[base + 2 * leaf.index + 1] as number;
    if (start === end && leaf.translations === undefined) return putRemembered(byteLeaf.empty);
    if (byteLeaf.read !== undefined && start < end) {
      const mark = out.at;
      if (byteLeaf.read(bytes, start, end, out)) {
        // A column the byte reader took is its text as it is (a plain string, nothing to trim).
        if (byteLeaf.column !== -1) {
          columns.starts[byteLeaf.column] = start;
          columns.ends[byteLeaf.column] = end;
        }
        return PRESENT;
      }
      out.at = mark;
      return putJson(stringJson(leaf, bytes.toString('utf8', start, end), offset, pieces));
    }
    const memo = byteLeaf.memo;
    if (memo === undefined) return putJson(stringJson(leaf, bytes.toString('utf8', start, end), offset, pieces));
    const hash = ByteMemo.hash(bytes, start, end);
    const known = memo.get(bytes, start, end, hash);
    if (known !== undefined) return putRemembered(known.value);
    const json = remembered(stringJson(leaf, bytes.toString('utf8', start, end), offset, pieces));
    // Once a column shows many distinct values (names, phones) remembering them saves nothing.
    if (memo.size < MEMO_LIMIT) memo.set(bytes, start, end, hash, json);
    else byteLeaf.memo = undefined;
    return putRemembered(json);
  };

  /**
   * Writes an object in the schema's order. An object none of whose fields is given is absent, as in
   * fast-customers.ts (which asks first; here what was written is taken back): only then does a
   * missing required field inside it not decline the row.
   */
  const writeObject = (object: ByteObject, isRoot: boolean): Outcome => {
    const mark = out.at;
    out.push(OPEN_BRACE);
    let written = 0;
    let given = false;
    let missingRequired = false;
    for (const field of object.fields) {
      const fieldMark = out.at;
      out.put(written > 0 ? field.nextPrefix : field.prefix);
      const child = field.child;
      const outcome = child === undefined ? ABSENT : child.kind === 'leaf' ? writeLeaf(child) : writeObject(child, false);
      if (outcome === DECLINED) return DECLINED;
      if (outcome === PRESENT) {
        written += 1;
        given = true;
        continue;
      }
      if (field.absent === 'default') {
        out.put(field.absentJson);
        written += 1;
        continue;
      }
      out.at = fieldMark;
      if (field.absent === 'required') missingRequired = true;
    }
    if (missingRequired && (given || isRoot)) return DECLINED;
    if (!given && !isRoot) {
      out.at = mark;
      return ABSENT;
    }
    out.push(CLOSE_BRACE);
    return PRESENT;
  };

  /** A column's value as the fast path reads it (readCell, else the mapping's default), where the byte reader did not take its text. */
  const valueOf = (slot: number | undefined): unknown => {
    if (slot === undefined) return undefined;
    const leaf = plan.leaves[slot] as Leaf;
    const text = leaf.index === -1 ? undefined : bytes.toString('utf8', cells[base + 2 * leaf.index] as number, cells[base + 2 * leaf.index + 1] as number);
    const raw = text !== undefined && leaf.translations !== undefined ? (leaf.translations[text.trim()] ?? text) : text;
    const value = readCell(raw, leaf.type, offset);
    return value === undefined ? leaf.fallback : value;
  };
  const columnSlotList = [plan.idSlot, plan.branchSlot, plan.managerSlot];
  let columns: ByteRowColumns;

  return (rowBytes, rowCells, rowBase, rowOut, rowColumns) => {
    bytes = rowBytes;
    cells = rowCells;
    base = rowBase;
    out = rowOut;
    columns = rowColumns;
    columns.starts.fill(-1);
    if (writeObject(root, true) !== PRESENT) return false;
    columns.bytes = bytes;
    for (let column = 0; column < 3; column++) columns.values[column] = columns.starts[column] === -1 ? valueOf(columnSlotList[column]) : undefined;
    return true;
  };
}
