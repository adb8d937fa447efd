// Attribute values and the sources that read them from a row. A source is a definition plus a
// `read` function; the value it returns is checked against the definition before it is stored.
import { parseEpochDay } from './calendar.js';
import type { AttributeDefinition, AttributeType, NumberStorage } from './definition.js';
import { numberStorageOf } from './definition.js';
import { AttributeError } from './errors.js';

/** The value each attribute type reads as. Dates are ISO `YYYY-MM-DD`; money is CNY yuan. */
export interface AttributeValueByType {
  number: number;
  money: number;
  date: string;
  enum: string;
  set: readonly string[];
  boolean: boolean;
  string: string;
}

export type AttributeValue = AttributeValueByType[AttributeType];

export interface AttributeReadContext {
  /** The ISO date (`YYYY-MM-DD`) the values are computed for: ages, maturities, consent expiry. */
  readonly asOf: string;
}

/** A definition plus how to read it from a row. `null` and `undefined` both mean "no value". */
export type AttributeSource<Row> = AttributeDefinition & {
  read(row: Row, context: AttributeReadContext): AttributeValue | null | undefined;
};

/**
 * The same as AttributeSource, with `read` checked against the declared type at compile time;
 * use it to author sources (`const source: TypedAttributeSource<Customer> = { type: 'date', … }`).
 */
export type TypedAttributeSource<Row> = {
  [T in AttributeType]: Omit<AttributeDefinition, 'type'> & {
    readonly type: T;
    read(row: Row, context: AttributeReadContext): AttributeValueByType[T] | null | undefined;
  };
}[AttributeType];

const integerRanges: Partial<Record<NumberStorage, readonly [number, number]>> = {
  int32: [-2147483648, 2147483647],
  uint16: [0, 65535],
  uint8: [0, 255],
};

const float32Max = 3.4028234663852886e38;

function describeNumberProblem(
  definition: AttributeDefinition,
  value: unknown,
): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'expected a finite number';
  const storage = numberStorageOf(definition);
  const range = integerRanges[storage];
  if (range !== undefined) {
    const [min, max] = range;
    if (!Number.isInteger(value) || value < min || value > max) {
      return `expected a whole number from ${min} to ${max} (storage ${storage})`;
    }
  }
  if (storage === 'float32' && Math.abs(value) > float32Max)
    return 'expected a number within float32 range';
  return undefined;
}

function isKnownValue(definition: AttributeDefinition, value: string): boolean {
  if (definition.open === true) return true;
  return (definition.values ?? []).some((option) => option.value === value);
}

function knownValuesHint(definition: AttributeDefinition): string {
  return (definition.values ?? []).map((option) => `"${option.value}"`).join(', ');
}

function describeSetProblem(definition: AttributeDefinition, value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'expected an array of strings';
  for (const member of value as readonly unknown[]) {
    if (typeof member !== 'string' || member.length === 0)
      return 'expected an array of non-empty strings';
    if (!isKnownValue(definition, member)) {
      return `"${member}" is not one of its values (${knownValuesHint(definition)})`;
    }
  }
  return undefined;
}

/** Why a value does not fit a definition, or undefined when it fits. Null and undefined always fit. */
export function describeInvalidValue(
  definition: AttributeDefinition,
  value: unknown,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'number':
    case 'money':
      return describeNumberProblem(definition, value);
    case 'date':
      if (typeof value === 'string' && parseEpochDay(value) !== undefined) return undefined;
      return 'expected an ISO calendar date YYYY-MM-DD';
    case 'enum':
      if (typeof value !== 'string' || value.length === 0) return 'expected a non-empty string';
      if (!isKnownValue(definition, value)) return `expected one of ${knownValuesHint(definition)}`;
      return undefined;
    case 'set':
      return describeSetProblem(definition, value);
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'string':
      return typeof value === 'string' ? undefined : 'expected a string';
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return `[${(value as readonly unknown[]).map(formatValue).join(', ')}]`;
  return String(value);
}

/**
 * Checks what a source read for one row and returns it as a stored value (undefined becomes null).
 * Throws `KQ_ATTRIBUTE_VALUE_INVALID` naming the attribute, the row and the value.
 */
export function checkAttributeValue(
  definition: AttributeDefinition,
  value: unknown,
  rowId: string,
): AttributeValue | null {
  const problem = describeInvalidValue(definition, value);
  if (problem !== undefined) {
    throw new AttributeError(
      'KQ_ATTRIBUTE_VALUE_INVALID',
      `Attribute "${definition.id}" read ${formatValue(value)} for row "${rowId}": ${problem}. ` +
        `Fix the attribute's read function or its definition (type ${definition.type}).`,
    );
  }
  return value === undefined ? null : (value as AttributeValue | null);
}
