// Reading one cell the way bank exports write it: amounts with thousands separators, dates in three
// spellings, yes/no in Chinese or English, lists and monthly balances packed into one cell.
// Each reader returns the value or a `CellProblem` whose text says what was expected.

export class CellProblem {
  constructor(readonly reason: string) {}
}

export type CellValue = string | number | boolean | null | CellValue[] | { [key: string]: CellValue };
export type CellResult = CellValue | CellProblem;

/** What a column's cells are read as. */
export type FieldType =
  | 'string'
  | 'amount'
  | 'number'
  | 'integer'
  | 'date'
  | 'datetime'
  | 'month'
  | 'boolean'
  | 'list'
  | 'monthlyAverages'
  | 'consents'
  | 'json';

const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const groupedNumber = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

const simpleDecimal = /^\d+(\.\d+)?$/;

/** `1234.5` or `1,234.5` as `readAmount` reads them, with nothing to trim; undefined for any other spelling. */
export function readPlainAmount(text: string): number | undefined {
  // Most cells are plain decimals: read them without building new strings.
  if (simpleDecimal.test(text)) return Number(text);
  if (groupedNumber.test(text)) return Number(text.replaceAll(',', ''));
  return undefined;
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const COMMA = 0x2c;
const DOT = 0x2e;
// Read from text, so each is the exact power (1e0 … 1e22 are all exactly representable).
const powersOfTen = Array.from({ length: 23 }, (_, power) => Number(`1e${power}`));

/** `1,234.5` → `1234.5`; quicker than replaceAll for the one or two commas of an amount. */
function withoutCommas(text: string): string {
  let digits = '';
  let from = 0;
  for (let comma = text.indexOf(','); comma !== -1; comma = text.indexOf(',', from)) {
    digits += text.slice(from, comma);
    from = comma + 1;
  }
  return digits + text.slice(from);
}

/**
 * Reads `text` as readPlainAmount would, for a writer that wants the number's JSON without the cost
 * of turning digits into a number and back: `value` is the number, and `digits` its JSON when that
 * is the text itself less its commas (at most 15 significant digits, no leading zero, no trailing
 * zero after the point, at most 6 decimals: then String(value) gives exactly those digits). The
 * value is the digits as a whole number divided by a power of ten, which for 15 digits or fewer is
 * exact, rounded once, and so the same number Number(text) gives. Undefined for any text this does
 * not cover (a sign, an exponent, 16 digits…); readPlainAmount then reads it.
 */
export function scanPlainAmount(text: string): { value: number; digits: string | undefined } | undefined {
  let mantissa = 0;
  let significant = 0;
  let wholeDigits = 0;
  let decimals = 0;
  let point = false;
  let commas = 0;
  /** Digits since the last comma; -1 before the first. */
  let group = -1;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= DIGIT_0 && code <= DIGIT_9) {
      if (point) decimals += 1;
      else {
        wholeDigits += 1;
        if (group >= 0) group += 1;
      }
      if (significant > 0 || code !== DIGIT_0) significant += 1;
      mantissa = mantissa * 10 + (code - DIGIT_0);
    } else if (code === COMMA && !point) {
      // 1,234,567: one to three digits, then groups of three.
      if (group === -1 ? wholeDigits < 1 || wholeDigits > 3 : group !== 3) return undefined;
      group = 0;
      commas += 1;
    } else if (code === DOT && !point) {
      if (wholeDigits === 0 || (group !== -1 && group !== 3)) return undefined;
      point = true;
    } else {
      return undefined;
    }
  }
  if (wholeDigits === 0 || (point && decimals === 0) || (!point && group !== -1 && group !== 3) || significant > 15 || decimals > 22) return undefined;
  const value = decimals === 0 ? mantissa : mantissa / (powersOfTen[decimals] as number);
  const leadingZero = text.charCodeAt(0) === DIGIT_0 && wholeDigits > 1;
  const trailingZero = point && text.charCodeAt(text.length - 1) === DIGIT_0;
  const canonical = !leadingZero && !trailingZero && decimals <= 6;
  return { value, digits: canonical ? (commas === 0 ? text : withoutCommas(text)) : undefined };
}

/** `1,234,567.89`, `¥1234.5`, ` 12 ` — but not `1,2,3` (a list) or `1.234,56` (another locale). */
export function readAmount(text: string): number | CellProblem {
  const plain = readPlainAmount(text);
  if (plain !== undefined) return plain;
  const trimmed = text.trim().replace(/^[¥￥]/, '').replaceAll('，', ',');
  if (plainNumber.test(trimmed)) return Number(trimmed);
  if (groupedNumber.test(trimmed)) return Number(trimmed.replaceAll(',', ''));
  return new CellProblem(`"${text}" is not an amount; expected digits like 1234567.89 or 1,234,567.89`);
}

export function readInteger(text: string): number | CellProblem {
  const value = readAmount(text);
  if (value instanceof CellProblem || !Number.isInteger(value)) {
    return new CellProblem(`"${text}" is not a whole number`);
  }
  return value;
}

const dateSpellings = [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/, /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/];

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `2026-11-22`, `2026/11/22`, `2026/1/5`, `20261122` or `2026.11.22`, as ISO `2026-11-22`. */
export function readDate(text: string): string | CellProblem {
  const trimmed = text.trim();
  for (const spelling of dateSpellings) {
    const match = spelling.exec(trimmed);
    if (match === null) continue;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (!isRealDate(year, month, day)) return new CellProblem(`"${text}" is not a calendar date`);
    return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return new CellProblem(`"${text}" is not a date; expected 2026-11-22, 2026/11/22 or 20261122`);
}

/**
 * ISO instants pass through. A date and time without an offset (as core banking exports write
 * them) is read in the bank's zone, by default China Standard Time.
 */
export function readDateTime(text: string, offset = '+08:00'): string | CellProblem {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(trimmed)) return trimmed;
  const match = /^(\S+)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(trimmed);
  const day = readDate(match?.[1] ?? trimmed);
  if (day instanceof CellProblem) return new CellProblem(`"${text}" is not a date and time; expected 2026-11-22T09:30:00+08:00 or 2026-11-22 09:30:00`);
  const hour = (match?.[2] ?? '0').padStart(2, '0');
  const minute = match?.[3] ?? '00';
  const second = match?.[4] ?? '00';
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return new CellProblem(`"${text}" has no such time of day`);
  return `${day}T${hour}:${minute}:${second}${offset}`;
}

const truths = new Set(['true', 't', 'yes', 'y', '1', '是', '有', '√']);
const falsehoods = new Set(['false', 'f', 'no', 'n', '0', '否', '无', '×']);

export function readBoolean(text: string): boolean | CellProblem {
  const key = text.trim().toLowerCase();
  if (truths.has(key)) return true;
  if (falsehoods.has(key)) return false;
  return new CellProblem(`"${text}" is not yes or no; expected true/false, 1/0, Y/N or 是/否`);
}

/** Items separated by `|` or `;` (a comma would clash with CSV and with amounts). */
export function readList(text: string): string[] {
  return text
    .split(/[|;]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `2026-09:1234.5;2026-10:2,999.42` — month, colon, average daily balance; oldest first. */
export function readMonthlyAverages(text: string): CellValue | CellProblem {
  const months: CellValue[] = [];
  for (const item of readList(text)) {
    const separator = item.search(/[:=]/);
    const month = item.slice(0, Math.max(separator, 0)).trim();
    const amount = readAmount(item.slice(separator + 1).trim());
    if (separator < 0 || !/^\d{4}-\d{2}$/.test(month) || amount instanceof CellProblem) {
      return new CellProblem(`"${item}" is not a monthly average; expected 2026-10:2999.42`);
    }
    months.push({ month, averageDailyBalance: amount });
  }
  return months;
}

/** `sms/marketing/Y/2017-06-26T12:51:26+08:00` — channel, purpose, granted, recorded at; `|` between. */
export function readConsents(text: string): CellValue | CellProblem {
  const consents: CellValue[] = [];
  for (const item of text.split('|').map((part) => part.trim()).filter((part) => part !== '')) {
    const [channel = '', purpose = '', granted = '', recordedAt = '', expiresAt] = item.split('/');
    const grantedValue = readBoolean(granted);
    if (grantedValue instanceof CellProblem) return new CellProblem(`"${item}" is not a consent; expected channel/purpose/Y|N/recorded-at`);
    const consent: { [key: string]: CellValue } = { channel, purpose, granted: grantedValue, recordedAt };
    if (expiresAt !== undefined && expiresAt !== '') consent['expiresAt'] = expiresAt;
    consents.push(consent);
  }
  return consents;
}

function readJson(text: string): CellValue | CellProblem {
  try {
    return JSON.parse(text) as CellValue;
  } catch {
    return new CellProblem(`"${text.slice(0, 40)}" is not JSON`);
  }
}

/**
 * Reads a cell as its field's type. Values that are already typed (from JSON Lines or Parquet)
 * pass through when they fit; text is read by the rules above. Empty cells mean "not given".
 */
export function readCell(raw: unknown, type: FieldType, offset?: string): CellResult | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string') return typedCell(raw, type);
  if (raw.trim() === '') return undefined;
  switch (type) {
    case 'string':
      return raw.trim();
    case 'amount':
    case 'number':
      return readAmount(raw);
    case 'integer':
      return readInteger(raw);
    case 'date':
      return readDate(raw);
    case 'datetime':
      return readDateTime(raw, offset);
    case 'month':
      return raw.trim();
    case 'boolean':
      return readBoolean(raw);
    case 'list':
      return readList(raw);
    case 'monthlyAverages':
      return raw.trim().startsWith('[') ? readJson(raw) : readMonthlyAverages(raw);
    case 'consents':
      return raw.trim().startsWith('[') ? readJson(raw) : readConsents(raw);
    case 'json':
      return readJson(raw);
  }
}

function typedCell(raw: unknown, type: FieldType): CellResult {
  if (raw instanceof Date) {
    const iso = raw.toISOString();
    return type === 'date' ? iso.slice(0, 10) : iso;
  }
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'number' && type === 'string') return String(raw);
  return raw as CellValue;
}
