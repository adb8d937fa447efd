// JSON writers derived from a zod schema: each takes a value and appends the JSON text of what the
// schema's parse would output for it (keys in the schema's order, defaults filled in, unknown keys
// dropped) to an array of pieces, or returns false when the schema would not accept it. Pieces are
// joined once per row: concatenating as we go would leave each row a tree of hundreds of strings
// for the garbage collector to copy while the batch waits. They serve the import's fast path,
// which must accept a row only when zod would: so only the schema constructs listed here are
// understood, and a schema using any other (a refinement, a transform, a union…) gets no writer at
// all, leaving every row to zod itself.
import type { z } from 'zod';

/** Appends the JSON text of the parsed value to `out`; false (with `out` partly written) where the schema would not accept it. */
export type ValueWriter = (value: unknown, out: string[]) => boolean;

/** What a missing key becomes in the output: dropped, a fixed JSON text, or a failed parse. */
export type Absent = { kind: 'omit' } | { kind: 'default'; json: string } | { kind: 'required' };

/** A schema node with its optional/default/nullable wrappers taken off. */
export interface UnwrappedSchema {
  node: z.core.$ZodType;
  absent: Absent;
  nullable: boolean;
}

type Def = z.core.$ZodTypeDef & Record<string, unknown>;
type Check = { _zod: { def: Record<string, unknown> } };

const defOf = (node: z.core.$ZodType): Def => node._zod.def as Def;

/** String formats zod checks by their pattern alone (others, like `url`, run code of their own). */
const patternFormats = new Set(['regex', 'date', 'datetime', 'time', 'email']);

/** Characters JSON.stringify escapes (any surrogate, paired or not, is left to it too). */
// eslint-disable-next-line no-control-regex -- the control characters are the ones JSON escapes
const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(text)`, without its cost for the plain text most cells hold. */
export function jsonString(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/** Thrown while compiling: the schema uses something the fast path does not understand. */
export class UnsupportedSchema extends Error {}

export function unwrap(node: z.core.$ZodType): UnwrappedSchema {
  let current = node;
  let absent: Absent = { kind: 'required' };
  let nullable = false;
  for (;;) {
    const def = defOf(current);
    if (def.type === 'optional') {
      if (absent.kind === 'required') absent = { kind: 'omit' };
    } else if (def.type === 'default') {
      // zod hands out the default as it is, without parsing it; only plain JSON values are taken.
      const value: unknown = def['defaultValue'];
      const plain = value === null || ['string', 'number', 'boolean'].includes(typeof value) || (Array.isArray(value) && value.length === 0);
      if (!plain) throw new UnsupportedSchema(`a default of ${JSON.stringify(value)}`);
      // The outermost default fills a missing key, even inside an optional (zod's optional hands
      // an absent value on to a default within it).
      if (absent.kind !== 'default') absent = { kind: 'default', json: JSON.stringify(value) };
    } else if (def.type === 'nullable') {
      nullable = true;
    } else {
      return { node: current, absent, nullable };
    }
    current = def['innerType'] as z.core.$ZodType;
  }
}

function checksOf(def: Def): Array<Record<string, unknown>> {
  return ((def['checks'] ?? []) as unknown as Check[]).map((check) => check._zod.def);
}

function lengthTest(check: Record<string, unknown>): ((length: number) => boolean) | undefined {
  if (check['check'] === 'min_length') return (length) => length >= (check['minimum'] as number);
  if (check['check'] === 'max_length') return (length) => length <= (check['maximum'] as number);
  if (check['check'] === 'length_equals') return (length) => length === (check['length'] as number);
  return undefined;
}

function stringWriter(def: Def): ValueWriter {
  const tests: Array<(text: string) => boolean> = [];
  const format = def['format'];
  if (format !== undefined) {
    if (typeof format !== 'string' || !patternFormats.has(format) || !(def['pattern'] instanceof RegExp)) throw new UnsupportedSchema(`string format ${String(format)}`);
    const pattern = def['pattern'];
    tests.push((text) => {
      pattern.lastIndex = 0;
      return pattern.test(text);
    });
  }
  for (const check of checksOf(def)) {
    const length = lengthTest(check);
    if (length !== undefined) {
      tests.push((text) => length(text.length));
    } else if (check['check'] === 'string_format' && patternFormats.has(String(check['format'])) && check['pattern'] instanceof RegExp) {
      const pattern = check['pattern'];
      tests.push((text) => {
        pattern.lastIndex = 0;
        return pattern.test(text);
      });
    } else {
      throw new UnsupportedSchema(`string check ${String(check['check'])}`);
    }
  }
  return (value, out) => {
    if (typeof value !== 'string') return false;
    for (const test of tests) if (!test(value)) return false;
    out.push(jsonString(value));
    return true;
  };
}

/** Whether a number passes a number schema's checks (zod's numbers refuse NaN and ±Infinity), or undefined for another schema. */
export function numberTest(node: z.core.$ZodType): ((value: number) => boolean) | undefined {
  const def = defOf(node);
  if (def.type !== 'number') return undefined;
  const tests = numberChecks(def);
  return (value) => Number.isFinite(value) && tests.every((test) => test(value));
}

function numberChecks(def: Def): Array<(number: number) => boolean> {
  const tests: Array<(number: number) => boolean> = [];
  for (const check of checksOf(def)) {
    const bound = check['value'] as number;
    if (check['check'] === 'greater_than') tests.push(check['inclusive'] === true ? (number) => number >= bound : (number) => number > bound);
    else if (check['check'] === 'less_than') tests.push(check['inclusive'] === true ? (number) => number <= bound : (number) => number < bound);
    else if (check['check'] === 'number_format' && check['format'] === 'safeint') tests.push(Number.isSafeInteger);
    else throw new UnsupportedSchema(`number check ${String(check['check'])} ${String(check['format'] ?? '')}`);
  }
  return tests;
}

function numberWriter(def: Def): ValueWriter {
  const tests = numberChecks(def);
  return (value, out) => {
    // zod's numbers refuse NaN and ±Infinity.
    if (typeof value !== 'number' || !Number.isFinite(value)) return false;
    for (const test of tests) if (!test(value)) return false;
    out.push(String(value));
    return true;
  };
}

function enumWriter(def: Def): ValueWriter {
  const entries = Object.values(def['entries'] as Record<string, unknown>);
  if (!entries.every((entry) => typeof entry === 'string')) throw new UnsupportedSchema('an enum of other than strings');
  const texts = new Map(entries.map((entry) => [entry, JSON.stringify(entry)]));
  return (value, out) => {
    const text = typeof value === 'string' ? texts.get(value) : undefined;
    if (text === undefined) return false;
    out.push(text);
    return true;
  };
}

function arrayWriter(def: Def, element: ValueWriter): ValueWriter {
  const tests = checksOf(def).map((check) => {
    const length = lengthTest(check);
    if (length === undefined) throw new UnsupportedSchema(`array check ${String(check['check'])}`);
    return length;
  });
  return (value, out) => {
    if (!Array.isArray(value)) return false;
    for (const test of tests) if (!test(value.length)) return false;
    out.push('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out.push(',');
      if (!element(value[index], out)) return false;
    }
    out.push(']');
    return true;
  };
}

export interface ObjectField {
  key: string;
  absent: Absent;
  write: ValueWriter;
  /** For a number field: its checks, for readers that write the number's digits themselves. */
  number: ((value: number) => boolean) | undefined;
  /** The field's schema, its wrappers taken off: readers that check bytes themselves look at its format. */
  node: z.core.$ZodType;
  nullable: boolean;
}

/** The keys of an object schema in output order, each with its schema unwrapped; zod's output puts index-like keys first, so none are taken. */
export function objectEntries(node: z.core.$ZodType, path: string): Array<UnwrappedSchema & { key: string; path: string }> {
  const def = defOf(node);
  if (def.type !== 'object' || def['catchall'] !== undefined || checksOf(def).length > 0) throw new UnsupportedSchema(`${path || 'the record'} is not a plain object schema`);
  return Object.entries(def['shape'] as Record<string, z.core.$ZodType>).map(([key, field]) => {
    if (/^\d+$/.test(key)) throw new UnsupportedSchema(`the index-like key ${key}`);
    return { key, path: path === '' ? key : `${path}.${key}`, ...unwrap(field) };
  });
}

/** The fields of an object schema in output order, with their writers. */
export function objectFields(node: z.core.$ZodType, writerFor: (path: string, node: z.core.$ZodType) => ValueWriter, path: string): ObjectField[] {
  return objectEntries(node, path).map(({ key, path: fieldPath, node: inner, absent, nullable }) => {
    const write = writerFor(fieldPath, inner);
    return { key, absent, write: nullable ? (value, out) => (value === null ? out.push('null') > 0 : write(value, out)) : write, number: numberTest(inner), node: inner, nullable };
  });
}

/**
 * Writes an object from its fields' values given in field order (undefined for absent), without
 * the object: `{"key":…}`, or for lists stored as rows of values `[…]` with trailing absent fields
 * left off.
 */
export type FieldsWriter = (values: readonly unknown[], out: string[]) => boolean;

export function fieldsWriter(fields: readonly ObjectField[], asValues: boolean): FieldsWriter {
  const prefixes = fields.map((field) => `${JSON.stringify(field.key)}:`);
  const nextPrefixes = prefixes.map((prefix) => `,${prefix}`);
  return (values, out) => {
    out.push(asValues ? '[' : '{');
    let written = 0;
    let omitted = false;
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index] as ObjectField;
      const given = values[index];
      if (given === undefined && field.absent.kind === 'omit') {
        omitted = true;
        continue;
      }
      // A row of values cannot leave out a field that a later one follows.
      if (asValues && omitted) return false;
      if (asValues) {
        if (written > 0) out.push(',');
      } else {
        out.push(written > 0 ? (nextPrefixes[index] as string) : (prefixes[index] as string));
      }
      written += 1;
      if (given !== undefined) {
        if (!field.write(given, out)) return false;
      } else if (field.absent.kind === 'default') {
        out.push(field.absent.json);
      } else {
        return false;
      }
    }
    out.push(asValues ? ']' : '}');
    return true;
  };
}

function objectWriter(fields: readonly ObjectField[], asValues: boolean): ValueWriter {
  const write = fieldsWriter(fields, asValues);
  const values: unknown[] = [];
  return (value, out) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    for (let index = 0; index < fields.length; index++) values[index] = record[(fields[index] as ObjectField).key];
    return write(values, out);
  };
}

/** A list of objects, for readers that write its items straight from text. */
export interface ObjectList {
  /** The list's own checks (zod's min/max length). */
  lengthAllowed: (length: number) => boolean;
  fields: ObjectField[];
  /** Items written as rows of values rather than objects. */
  asValues: boolean;
}

/** The parts of a list-of-objects schema, or undefined when it is something else. */
export function objectList(node: z.core.$ZodType, valueRows: ReadonlySet<string>, path: string): ObjectList | undefined {
  const def = defOf(node);
  if (def.type !== 'array') return undefined;
  const element = unwrap(def['element'] as z.core.$ZodType);
  if (element.absent.kind !== 'required' || element.nullable || defOf(element.node).type !== 'object') return undefined;
  const tests = checksOf(def).map((check) => {
    const length = lengthTest(check);
    if (length === undefined) throw new UnsupportedSchema(`array check ${String(check['check'])}`);
    return length;
  });
  const fields = objectFields(element.node, (fieldPath, field) => schemaWriter(field, valueRows, fieldPath), path);
  return { lengthAllowed: (length) => tests.every((test) => test(length)), fields, asValues: valueRows.has(path) };
}

/**
 * A writer for any value of the schema. `valueRows` names the lists of objects written as rows of
 * values (`[["2026-10", 2999.42]]`) rather than objects, as a store's customer document keeps them.
 */
export function schemaWriter(node: z.core.$ZodType, valueRows: ReadonlySet<string>, path = ''): ValueWriter {
  const def = defOf(node);
  switch (def.type) {
    case 'string':
      return stringWriter(def);
    case 'number':
      return numberWriter(def);
    case 'boolean':
      return (value, out) => {
        if (typeof value !== 'boolean') return false;
        out.push(value ? 'true' : 'false');
        return true;
      };
    case 'enum':
      return enumWriter(def);
    case 'array': {
      const element = unwrap(def['element'] as z.core.$ZodType);
      if (element.absent.kind !== 'required' || element.nullable) throw new UnsupportedSchema(`${path}: a list of optional items`);
      const elementDef = defOf(element.node);
      const asValues = valueRows.has(path);
      if (asValues && elementDef.type !== 'object') throw new UnsupportedSchema(`${path} is stored as rows but holds no objects`);
      const write = elementDef.type === 'object'
        ? objectWriter(objectFields(element.node, (fieldPath, field) => schemaWriter(field, valueRows, fieldPath), path), asValues)
        : schemaWriter(element.node, valueRows, path);
      return arrayWriter(def, write);
    }
    case 'object':
      return objectWriter(objectFields(node, (fieldPath, field) => schemaWriter(field, valueRows, fieldPath), path), false);
    default:
      throw new UnsupportedSchema(`${path || 'the record'} is a ${def.type}`);
  }
}
