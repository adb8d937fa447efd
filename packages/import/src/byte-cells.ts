// Cells as bytes, for the byte path of a customer import (byte-customers.ts): a UTF-8 CSV cell is
// checked and written to the stored document's UTF-8 JSON straight from the file's bytes, without
// becoming a JS string. Each reader here mirrors one of values.ts or cell-writers.ts for the plain
// spellings only and declines (returns false) anything else, which is then read the string way; the
// property tests hold each to its string twin.

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;
const DOT = 0x2e;
const DASH = 0x2d;
const SLASH = 0x2f;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PLUS = 0x2b;
const LETTER_T = 0x54;
const LETTER_Z = 0x5a;

/** A growing output of bytes; writers `ensure` room once and then write without checks. */
export class ByteOut {
  bytes: Buffer;
  at = 0;

  /** Its buffers are never slices of Node's shared pool, so that one can be handed to another thread. */
  constructor(size = 1 << 16) {
    this.bytes = Buffer.allocUnsafeSlow(size);
  }

  ensure(room: number): void {
    if (this.at + room <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.at + room));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }

  /** One byte. */
  push(byte: number): void {
    this.ensure(1);
    this.bytes[this.at++] = byte;
  }

  /** Constant bytes (keys, remembered values): TypedArray's set, measured ~3× quicker than a loop for 15 bytes. */
  put(source: Uint8Array): void {
    this.ensure(source.length);
    this.bytes.set(source, this.at);
    this.at += source.length;
  }

  /** Text as UTF-8. */
  putText(text: string): void {
    this.ensure(text.length * 3);
    this.at += this.bytes.write(text, this.at, 'utf8');
  }
}

/**
 * Whether the character starting at `index` is one String.prototype.trim removes: ASCII tab to
 * carriage return and space, and U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
 * U+3000 and U+FEFF.
 */
export function spaceAt(bytes: Uint8Array, index: number): boolean {
  const first = bytes[index] as number;
  if (first < 0x80) return first === 0x20 || (first >= 0x09 && first <= 0x0d);
  const second = bytes[index + 1];
  const third = bytes[index + 2] as number;
  if (first === 0xc2) return second === 0xa0;
  if (first === 0xe1) return second === 0x9a && third === 0x80;
  if (first === 0xe2) {
    if (second === 0x80) return (third >= 0x80 && third <= 0x8a) || third === 0xa8 || third === 0xa9 || third === 0xaf;
    return second === 0x81 && third === 0x9f;
  }
  if (first === 0xe3) return second === 0x80 && third === 0x80;
  if (first === 0xef) return second === 0xbb && third === 0xbf;
  return false;
}

/** Where the last character of bytes `start`…`end` (not empty, valid UTF-8) starts. */
export function lastCharacterAt(bytes: Uint8Array, start: number, end: number): number {
  let index = end - 1;
  while (index > start && ((bytes[index] as number) & 0xc0) === 0x80) index -= 1;
  return index;
}

/** Whether trimming would change the text of bytes `start`…`end` (not empty). */
export function trimmable(bytes: Uint8Array, start: number, end: number): boolean {
  return spaceAt(bytes, start) || spaceAt(bytes, lastCharacterAt(bytes, start, end));
}

/**
 * Writes bytes `start`…`end` as a JSON string when they need no escaping and their length in
 * UTF-16 units (what zod's min and max count) is within `min`…`max`; false otherwise.
 */
export function writePlainString(bytes: Uint8Array, start: number, end: number, min: number, max: number, out: ByteOut): boolean {
  out.ensure(end - start + 2);
  const target = out.bytes;
  let at = out.at;
  target[at++] = QUOTE;
  let units = 0;
  for (let index = start; index < end; index++) {
    const byte = bytes[index] as number;
    if (byte < 0x20 || byte === QUOTE || byte === BACKSLASH) return false;
    // A character's first byte counts one unit; a four-byte character is a surrogate pair, two.
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
    target[at++] = byte;
  }
  if (units < min || units > max) return false;
  target[at++] = QUOTE;
  out.at = at;
  return true;
}

// Read from text, so each is the exact power (1e0 … 1e22 are all exactly representable).
const powersOfTen = Array.from({ length: 23 }, (_, power) => Number(`1e${power}`));

/**
 * Writes an amount as cell-writers.ts' writePlainAmount does for the spellings values.ts'
 * scanPlainAmount covers (digits, groups of three after commas, a point): the digits less their
 * commas where they are the number's JSON, else the number printed. False for any other spelling
 * or a number `test` refuses.
 */
export function writeByteAmount(bytes: Uint8Array, start: number, end: number, test: (value: number) => boolean, out: ByteOut): boolean {
  let mantissa = 0;
  let significant = 0;
  let wholeDigits = 0;
  let decimals = 0;
  let point = false;
  /** Digits since the last comma; -1 before the first. */
  let group = -1;
  // The digits are copied while they are read, and taken back if they are not the number's JSON.
  out.ensure(end - start);
  const target = out.bytes;
  const mark = out.at;
  let at = mark;
  for (let index = start; index < end; index++) {
    const code = bytes[index] as number;
    if (code >= DIGIT_0 && code <= DIGIT_9) {
      if (point) decimals += 1;
      else {
        wholeDigits += 1;
        if (group >= 0) group += 1;
      }
      if (significant > 0 || code !== DIGIT_0) significant += 1;
      mantissa = mantissa * 10 + (code - DIGIT_0);
      target[at++] = code;
    } else if (code === COMMA && !point) {
      if (group === -1 ? wholeDigits < 1 || wholeDigits > 3 : group !== 3) return false;
      group = 0;
    } else if (code === DOT && !point) {
      if (wholeDigits === 0 || (group !== -1 && group !== 3)) return false;
      point = true;
      target[at++] = code;
    } else {
      return false;
    }
  }
  if (wholeDigits === 0 || (point && decimals === 0) || (!point && group !== -1 && group !== 3) || significant > 15 || decimals > 22) return false;
  const value = decimals === 0 ? mantissa : mantissa / (powersOfTen[decimals] as number);
  if (!test(value)) return false;
  const leadingZero = bytes[start] === DIGIT_0 && wholeDigits > 1;
  const trailingZero = point && bytes[end - 1] === DIGIT_0;
  if (leadingZero || trailingZero || decimals > 6) {
    out.at = mark;
    out.putText(String(value));
    return true;
  }
  out.at = at;
  return true;
}

/** Digits `from`…`to` as a number, or -1 if any byte is not a digit. */
function digitsAt(bytes: Uint8Array, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) {
    const digit = (bytes[index] as number) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthLength(year: number, month: number): number {
  return month === 2 && (year % 4 === 0 && year % 100 !== 0 || year % 400 === 0) ? 29 : (daysInMonth[month - 1] as number);
}

function putTwoDigits(target: Buffer, at: number, value: number): void {
  target[at] = DIGIT_0 + Math.floor(value / 10);
  target[at + 1] = DIGIT_0 + (value % 10);
}

/**
 * Writes a date as cell-writers.ts' readPlainDate reads it (`2026-11-22`, `2026/1/5`, `2026.1.5`,
 * `20261122`, years 1000–9999) as a JSON string `"2026-11-22"`; false for anything else.
 */
export function writeByteDate(bytes: Uint8Array, start: number, end: number, out: ByteOut): boolean {
  const length = end - start;
  let year: number;
  let month: number;
  let day: number;
  if (length === 8) {
    year = digitsAt(bytes, start, start + 4);
    month = digitsAt(bytes, start + 4, start + 6);
    day = digitsAt(bytes, start + 6, start + 8);
  } else {
    const separator = bytes[start + 4];
    if (separator !== DASH && separator !== SLASH && separator !== DOT) return false;
    let second = -1;
    for (let index = start + 5; index < end; index++) {
      if (bytes[index] === separator) {
        second = index - start;
        break;
      }
    }
    if (second < 6 || second > 7 || length - second < 2 || length - second > 3) return false;
    year = digitsAt(bytes, start, start + 4);
    month = digitsAt(bytes, start + 5, start + second);
    day = digitsAt(bytes, start + second + 1, end);
  }
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) return false;
  out.ensure(12);
  const target = out.bytes;
  const at = out.at;
  target[at] = QUOTE;
  putTwoDigits(target, at + 1, Math.floor(year / 100));
  putTwoDigits(target, at + 3, year % 100);
  target[at + 5] = DASH;
  putTwoDigits(target, at + 6, month);
  target[at + 8] = DASH;
  putTwoDigits(target, at + 9, day);
  target[at + 11] = QUOTE;
  out.at = at + 12;
  return true;
}

/** zod's patterns (zod 4) that the checks below stand in for; a schema with another pattern is checked by its own. */
export const ISO_DATE_PATTERN =
  '/^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))$/';
export const ISO_DATE_TIME_PATTERN =
  '/^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$/';

/** `2026-11-22` at `start`: a calendar day (any four-digit year, as zod's date pattern allows). */
function isIsoDay(bytes: Uint8Array, start: number): boolean {
  if (bytes[start + 4] !== DASH || bytes[start + 7] !== DASH) return false;
  const year = digitsAt(bytes, start, start + 4);
  const month = digitsAt(bytes, start + 5, start + 7);
  const day = digitsAt(bytes, start + 8, start + 10);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month);
}

/** `HH:MM` at `start`, hours 00–23. */
function isHourMinute(bytes: Uint8Array, start: number): boolean {
  if (bytes[start + 2] !== COLON) return false;
  const hour = digitsAt(bytes, start, start + 2);
  const minute = digitsAt(bytes, start + 3, start + 5);
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59;
}

/** Whether bytes `start`…`end` match ISO_DATE_TIME_PATTERN: `2026-11-22T09:30:00[.123](Z|+08:00)`. */
export function isIsoInstant(bytes: Uint8Array, start: number, end: number): boolean {
  if (end - start < 20 || !isIsoDay(bytes, start) || bytes[start + 10] !== LETTER_T || !isHourMinute(bytes, start + 11)) return false;
  if (bytes[start + 16] !== COLON) return false;
  const second = digitsAt(bytes, start + 17, start + 19);
  if (second < 0 || second > 59) return false;
  let index = start + 19;
  if (bytes[index] === DOT) {
    index += 1;
    const digits = index;
    while (index < end && (bytes[index] as number) >= DIGIT_0 && (bytes[index] as number) <= DIGIT_9) index += 1;
    if (index === digits) return false;
  }
  if (index + 1 === end) return bytes[index] === LETTER_Z;
  const sign = bytes[index];
  return index + 6 === end && (sign === PLUS || sign === DASH) && isHourMinute(bytes, index + 1);
}

/** Whether bytes `start`…`end` are `dddd-dd` (values.ts' month shape). */
export function isMonthShape(bytes: Uint8Array, start: number, end: number): boolean {
  return end - start === 7 && bytes[start + 4] === DASH && digitsAt(bytes, start, start + 4) >= 0 && digitsAt(bytes, start + 5, start + 7) >= 0;
}

/** `dddd-dd` as the number yyyymm, for a cache of months. */
export function monthKey(bytes: Uint8Array, start: number): number {
  return digitsAt(bytes, start, start + 4) * 100 + digitsAt(bytes, start + 5, start + 7);
}

export interface ByteMemoEntry<T> {
  key: Uint8Array;
  value: T;
  next: ByteMemoEntry<T> | undefined;
}

/** Values remembered by a short run of bytes (a cell's text), found without making a string of them. */
export class ByteMemo<T> {
  #table = new Map<number, ByteMemoEntry<T>>();
  size = 0;

  static hash(bytes: Uint8Array, start: number, end: number): number {
    let hash = 0x811c9dc5 ^ (end - start);
    for (let index = start; index < end; index++) {
      hash ^= bytes[index] as number;
      hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
  }

  get(bytes: Uint8Array, start: number, end: number, hash: number): ByteMemoEntry<T> | undefined {
    const length = end - start;
    for (let entry = this.#table.get(hash); entry !== undefined; entry = entry.next) {
      const key = entry.key;
      if (key.length !== length) continue;
      let same = true;
      for (let index = 0; index < length; index++) {
        if (key[index] !== bytes[start + index]) {
          same = false;
          break;
        }
      }
      if (same) return entry;
    }
    return undefined;
  }

  set(bytes: Uint8Array, start: number, end: number, hash: number, value: T): void {
    // A copy: the bytes given are a view of a buffer the reader fills again (Buffer's slice is a view too).
    const entry: ByteMemoEntry<T> = { key: new Uint8Array(bytes.subarray(start, end)), value, next: this.#table.get(hash) };
    this.#table.set(hash, entry);
    this.size += 1;
  }
}
