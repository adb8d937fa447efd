// Writers from a cell's text straight to JSON for the cells that cost most of a customer row: monthly
// balances (`2026-09:1,234.5;2026-10:2,999.42`), consents (`sms/marketing/Y/2017-06-26T12:51:26+08:00|…`),
// amounts, dates and date-times. Each reads the text once and writes through the schema's own
// writers, building no objects. They take only the plain spellings: a cell with anything else
// (spaces to trim, `=` for `:`, a JSON list, a `|` between months, a two-digit year) returns false
// and is read by values.ts as before, so the result is always what readCell and the schema make of it.
import { fieldsWriter, type ObjectList, type ValueWriter } from './schema-writer.js';
import { CellProblem, readBoolean, readPlainAmount, scanPlainAmount } from './values.js';

/** Writes a cell's JSON to `out`, or returns false, leaving the cell to the general reader. */
export type CellWriter = (text: string, out: string[]) => boolean;

const monthShape = /^\d{4}-\d{2}$/;
const COLON = 0x3a;
const BRACKET = 0x5b;

function sameKeys(list: ObjectList, keys: readonly string[]): boolean {
  return list.fields.length === keys.length && list.fields.every((field, index) => field.key === keys[index]);
}

/**
 * Writes an amount as readAmount reads it without trimming, checked by `test`: its digits where
 * they are the number's JSON, else the number printed. False for any other spelling, or a number
 * the schema refuses.
 */
export function writePlainAmount(text: string, test: (value: number) => boolean, out: string[]): boolean {
  const scanned = scanPlainAmount(text);
  if (scanned !== undefined) {
    if (!test(scanned.value)) return false;
    out.push(scanned.digits ?? String(scanned.value));
    return true;
  }
  const value = readPlainAmount(text);
  if (value === undefined || !test(value)) return false;
  out.push(String(value));
  return true;
}

/** For an amount cell (`readAmount`), when the field is a number. */
export function amountWriter(test: (value: number) => boolean): CellWriter {
  return (text, out) => writePlainAmount(text, test, out);
}

const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Digits `from`…`to` of `text` as a number, or -1 if any is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) {
    const digit = text.charCodeAt(index) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `2026-11-22`, `2026/1/5`, `2026.1.5` or `20261122` as readDate reads it (`2026-11-22`), for a
 * calendar day in years 1000–9999 (earlier years, which readDate pads and, below 100, takes as
 * 19xx, are left to it); undefined for anything else.
 */
export function readPlainDate(text: string): string | undefined {
  let year: number;
  let month: number;
  let day: number;
  if (text.length === 8) {
    year = digitsAt(text, 0, 4);
    month = digitsAt(text, 4, 6);
    day = digitsAt(text, 6, 8);
  } else {
    const separator = text.charAt(4);
    if (separator !== '-' && separator !== '/' && separator !== '.') return undefined;
    const second = text.indexOf(separator, 5);
    if (second < 6 || second > 7 || text.length - second < 2 || text.length - second > 3) return undefined;
    year = digitsAt(text, 0, 4);
    month = digitsAt(text, 5, second);
    day = digitsAt(text, second + 1, text.length);
    // An ISO date needs no new string.
    if (separator === '-' && text.length === 10 && year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month)) return text;
  }
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) return undefined;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

function monthLength(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (daysInMonth[month - 1] as number);
}

/** For a date cell, through the field's writer. */
export function dateWriter(write: ValueWriter): CellWriter {
  return (text, out) => {
    const date = readPlainDate(text);
    return date !== undefined && write(date, out);
  };
}

/**
 * For a date-time cell. Text the schema takes as it is (an ISO instant, its pattern allowing no
 * spaces around it) is text readDateTime hands back unchanged, so it is written as it is.
 */
export function dateTimeWriter(write: ValueWriter): CellWriter {
  return (text, out) => write(text, out);
}

/** For `readMonthlyAverages`' items `month:amount`, separated by `;`. */
export function monthlyAveragesWriter(list: ObjectList): CellWriter | undefined {
  if (!sameKeys(list, ['month', 'averageDailyBalance'])) return undefined;
  const [monthField, amountField] = list.fields;
  const amountTest = amountField?.number;
  if (monthField === undefined || amountTest === undefined || list.fields.some((field) => field.absent.kind !== 'required')) return undefined;
  const [open, between, close] = list.asValues ? ['[', ',', ']'] : ['{"month":', ',"averageDailyBalance":', '}'];
  return (text, out) => {
    if (text.includes('|') || text.charCodeAt(0) === BRACKET) return false;
    out.push('[');
    let count = 0;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf(';', start);
      if (end === -1) end = text.length;
      // Empty items (`;;`, a trailing `;`) are skipped, as readList skips them.
      if (end > start) {
        if (end - start < 9 || text.charCodeAt(start + 7) !== COLON) return false;
        const month = text.slice(start, start + 7);
        if (!monthShape.test(month)) return false;
        out.push(count > 0 ? `,${open}` : open);
        if (!monthField.write(month, out)) return false;
        out.push(between);
        if (!writePlainAmount(text.slice(start + 8, end), amountTest, out)) return false;
        out.push(close);
        count += 1;
      }
      start = end + 1;
    }
    if (!list.lengthAllowed(count)) return false;
    out.push(']');
    return true;
  };
}

/** For `readConsents`' items `channel/purpose/granted/recordedAt[/expiresAt]`, separated by `|`. */
export function consentsWriter(list: ObjectList): CellWriter | undefined {
  if (!sameKeys(list, ['channel', 'purpose', 'granted', 'recordedAt', 'expiresAt'])) return undefined;
  const writeItem = fieldsWriter(list.fields, list.asValues);
  const item: unknown[] = [undefined, undefined, undefined, undefined, undefined];
  return (text, out) => {
    // A cell starting with `[` is JSON to readCell.
    if (text.charCodeAt(0) === BRACKET) return false;
    out.push('[');
    let count = 0;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('|', start);
      if (end === -1) end = text.length;
      if (end > start) {
        const consent = text.slice(start, end);
        // readConsents trims each item (and never its parts): an item with spaces around it is left to it.
        if (consent.trim() !== consent) return false;
        const first = consent.indexOf('/');
        const second = first === -1 ? -1 : consent.indexOf('/', first + 1);
        const third = second === -1 ? -1 : consent.indexOf('/', second + 1);
        if (third === -1) return false;
        const fourth = consent.indexOf('/', third + 1);
        // Parts after a fifth are ignored by readConsents; such an item is left to it.
        if (fourth !== -1 && consent.indexOf('/', fourth + 1) !== -1) return false;
        const grantedText = consent.slice(second + 1, third);
        const granted = grantedText === 'Y' ? true : grantedText === 'N' ? false : readBoolean(grantedText);
        if (granted instanceof CellProblem) return false;
        item[0] = consent.slice(0, first);
        item[1] = consent.slice(first + 1, second);
        item[2] = granted;
        item[3] = consent.slice(third + 1, fourth === -1 ? consent.length : fourth);
        const expiresAt = fourth === -1 ? '' : consent.slice(fourth + 1);
        item[4] = expiresAt === '' ? undefined : expiresAt;
        if (count > 0) out.push(',');
        if (!writeItem(item, out)) return false;
        count += 1;
      }
      start = end + 1;
    }
    if (!list.lengthAllowed(count)) return false;
    out.push(']');
    return true;
  };
}
