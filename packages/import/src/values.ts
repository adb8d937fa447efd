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

/** `1,234,567.89`, `¥1234.5`, ` 12 ` — but not `1,2,3` (a list) or `1.234,56` (another locale). */
export function readAmount(text: string): number | CellProblem {
  // Most cells are plain decimals: read them without building new strings.
  if (simpleDecimal.test(text)) return Number(text);
  if (groupedNumber.test(text)) return Number(text.replaceAll(',', ''));
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
