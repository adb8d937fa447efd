// Streaming readers for CSV, JSON Lines and Parquet. Each yields rows with the line (or row number)
// they came from, and problems it found on the way (a truncated last line, undecodable bytes);
// nothing is held beyond the row being read.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import type { DuckDBResult } from '@duckdb/node-api';
import { ImportSourceError } from './errors.js';

export type SourceFormat = 'csv' | 'jsonl' | 'parquet';

export interface SourceRow {
  kind: 'row';
  line: number;
  cells: readonly unknown[] | Record<string, unknown>;
}

export interface SourceProblem {
  kind: 'problem';
  line: number;
  column: string;
  reason: string;
  raw: string;
}

export interface OpenedSource {
  /** The header of a CSV or Parquet file; JSON Lines rows carry their own keys. */
  header: string[] | undefined;
  rows: AsyncGenerator<SourceRow | SourceProblem, void, undefined>;
}

export function formatOf(path: string): SourceFormat {
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return 'csv';
}

const badBytes = (encoding: string): string =>
  `it holds bytes that are not valid ${encoding}; if the file comes from a Chinese bank system, import it with --encoding gbk`;

function decodedStream(path: string, encoding: string): NodeJS.ReadableStream {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const decoder = iconv.decodeStream(encoding);
  file.on('error', (error) => decoder.emit('error', error));
  return file.pipe(decoder);
}

function csvProblemReason(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'the file ends inside a quoted field: the last line is truncated';
  return error.message;
}

/** The line a record starts on: where it ended, less the line breaks inside its quoted fields. */
function startLine(record: readonly string[], endLine: number): number {
  let breaks = 0;
  for (const field of record) {
    if (field.includes('\n')) breaks += field.split('\n').length - 1;
  }
  return endLine - breaks;
}

type CsvItem = { record: string[]; info: { lines: number } };

async function openCsv(path: string, encoding: string, delimiter: string | undefined): Promise<OpenedSource> {
  // Problems the parser skips past (a quote never closed at the end of the file) arrive through
  // on_skip while it runs ahead of the rows read so far; they wait here to be reported in turn.
  const skipped: SourceProblem[] = [];
  let parsedLines = 0;
  const parser = decodedStream(path, encoding).pipe(
    parseCsv({
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      delimiter: delimiter ?? ',',
      on_record: (record: string[], context: { lines: number }) => {
        parsedLines = context.lines;
        return record;
      },
      on_skip: (error: CsvError | undefined) => {
        skipped.push({ kind: 'problem', line: parsedLines + 1, column: '(row)', reason: error === undefined ? 'unreadable row' : csvProblemReason(error), raw: '' });
        return undefined;
      },
    }),
  );
  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<CsvItem>;
  let first: IteratorResult<CsvItem>;
  try {
    first = await iterator.next();
  } catch (error) {
    throw new ImportSourceError(path, `its header cannot be read (${error instanceof Error ? error.message : String(error)})`, error);
  }
  if (first.done === true) throw new ImportSourceError(path, 'the file is empty: expected a header line and rows');
  const header = first.value.record.map((column) => column.trim());

  function judge(record: string[], line: number): SourceRow | SourceProblem {
    const raw = record.join(',');
    if (raw.includes('\uFFFD')) {
      const column = header[record.findIndex((field) => field.includes('\uFFFD'))] ?? '(row)';
      return { kind: 'problem', line, column, reason: badBytes(encoding), raw };
    }
    if (record.length < header.length) {
      const missing = header.slice(record.length);
      const reason = `the row has ${record.length} of ${header.length} columns (missing ${missing.join(', ')}): a truncated or mis-split line`;
      return { kind: 'problem', line, column: missing[0] ?? '(row)', reason, raw };
    }
    if (record.length > header.length) {
      const reason = `the row has ${record.length} values but the header ${header.length} columns: an unquoted comma or delimiter in a value?`;
      return { kind: 'problem', line, column: '(row)', reason, raw };
    }
    return { kind: 'row', line, cells: record };
  }

  async function* rows(): AsyncGenerator<SourceRow | SourceProblem, void, undefined> {
    for (;;) {
      let next: IteratorResult<CsvItem>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new ImportSourceError(path, error instanceof Error ? error.message : String(error), error);
      }
      if (next.done === true) break;
      const { record, info } = next.value;
      const line = startLine(record, info.lines);
      for (let problem = skipped[0]; problem !== undefined && problem.line < line; problem = skipped[0]) {
        skipped.shift();
        yield problem;
      }
      yield judge(record, line);
    }
    yield* skipped.splice(0);
  }
  return { header, rows: rows() };
}

async function openJsonLines(path: string, encoding: string): Promise<OpenedSource> {
  const lines = createInterface({ input: decodedStream(path, encoding), crlfDelay: Infinity });
  async function* rows(): AsyncGenerator<SourceRow | SourceProblem, void, undefined> {
    let line = 0;
    for await (const text of lines) {
      line += 1;
      const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
      if (trimmed === '') continue;
      if (trimmed.includes('\uFFFD')) {
        yield { kind: 'problem', line, column: '(row)', reason: badBytes(encoding), raw: trimmed };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (error) {
        yield { kind: 'problem', line, column: '(row)', reason: `not a JSON object (${error instanceof Error ? error.message : String(error)})`, raw: trimmed };
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield { kind: 'problem', line, column: '(row)', reason: 'each line must be one JSON object', raw: trimmed };
        continue;
      }
      yield { kind: 'row', line, cells: value as Record<string, unknown> };
    }
  }
  return { header: undefined, rows: rows() };
}

/** Parquet is read by DuckDB, loaded only when a Parquet file is imported. */
async function openParquet(path: string): Promise<OpenedSource> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  let result: DuckDBResult;
  try {
    result = await connection.stream('SELECT * FROM read_parquet($1)', [path]);
  } catch (error) {
    connection.closeSync();
    throw new ImportSourceError(path, `DuckDB cannot read it as Parquet (${error instanceof Error ? error.message : String(error)})`, error);
  }
  const header = result.columnNames();
  async function* rows(): AsyncGenerator<SourceRow | SourceProblem, void, undefined> {
    let line = 0;
    try {
      for await (const chunk of result.yieldRowObjectJson()) {
        for (const cells of chunk) {
          line += 1;
          yield { kind: 'row', line, cells };
        }
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }
  return { header, rows: rows() };
}

export async function openSource(path: string, format: SourceFormat, encoding: string, delimiter?: string): Promise<OpenedSource> {
  if (format === 'parquet') return openParquet(path);
  if (format === 'jsonl') return openJsonLines(path, encoding);
  return openCsv(path, encoding, delimiter);
}
