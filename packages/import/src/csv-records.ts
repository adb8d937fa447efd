// Splits decoded CSV text into records, chunk by chunk, noting the line each record starts on.
// Kequn reads its own rather than csv-parse's: that parser cost ~45 µs of a 700-byte customer row
// (most of an import's time), and the reject file needs each record's first line, which the fast
// general parsers on npm (papaparse, udsv) do not report. The rules are csv-parse's as Kequn used it:
// RFC 4180 quoting, `\r\n`, `\n` or `\r` between records, a quote inside an unquoted value taken
// as text, empty lines skipped, a leading BOM dropped, rows of any width (the caller judges width).

export type CsvItem = { kind: 'record'; line: number; fields: string[] } | { kind: 'problem'; line: number; reason: string; raw: string };

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Line breaks in a quoted value, `\r\n` counted once, so that later records keep their numbers. */
function lineBreaksIn(value: string): number {
  let breaks = 0;
  for (let index = value.indexOf('\n'); index !== -1; index = value.indexOf('\n', index + 1)) breaks += 1;
  for (let index = value.indexOf('\r'); index !== -1; index = value.indexOf('\r', index + 1)) {
    if (value.charCodeAt(index + 1) !== LF) breaks += 1;
  }
  return breaks;
}

/** The outcome of reading one record from `position`: done, or the text ends before it does. */
export type Step = { end: number; lines: number; item: CsvItem | undefined } | undefined;

export interface SplitterStart {
  /** The line the text starts on. Default 1. */
  line?: number;
  /** Whether the text is the start of a file, where a byte-order mark is dropped. Default true. */
  atStart?: boolean;
}

export class CsvRecordSplitter {
  readonly #delimiter: number;
  readonly #delimiterText: string;
  /** Text not yet split: the start of a record the last chunk cut. */
  #pending = '';
  /** The line `#pending` starts on. */
  #line = 1;
  #first = true;

  constructor(delimiter: string, start: SplitterStart = {}) {
    this.#delimiterText = delimiter;
    this.#delimiter = delimiter.charCodeAt(0);
    this.#line = start.line ?? 1;
    this.#first = start.atStart ?? true;
  }

  /**
   * Reads the one record that starts at `start` of `text` (a record boundary), as `push` would:
   * where it ends, the lines it spans and its item (none for an empty line); undefined when the
   * text ends before the record does and is not `final`. For the byte reader (csv-bytes.ts), which
   * hands over the records it does not read itself. `line` is the line the record starts on.
   */
  readOne(text: string, start: number, final: boolean, line: number): Step {
    this.#line = line;
    return this.#record(text, start, final, text.indexOf('\r', start) === -1);
  }

  /** Splits what it can of the text so far into `out`; keeps a record cut by the chunk's end. */
  push(chunk: string, out: CsvItem[]): void {
    let text = this.#pending + chunk;
    if (this.#first && text.length > 0) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.#split(text, false, out);
  }

  /** The end of the text: a record without a final line break is complete; an open quote is reported. */
  end(out: CsvItem[]): void {
    this.#split(this.#pending, true, out);
    this.#pending = '';
  }

  #split(text: string, final: boolean, out: CsvItem[]): void {
    let position = 0;
    // Without a carriage return anywhere, a value ends at the next delimiter or line feed, found by indexOf.
    const lineFeedsOnly = text.indexOf('\r') === -1;
    while (position < text.length) {
      const step = this.#record(text, position, final, lineFeedsOnly);
      if (step === undefined) break;
      if (step.item !== undefined) out.push(step.item);
      this.#line += step.lines;
      position = step.end;
    }
    this.#pending = position === 0 ? text : text.slice(position);
  }

  #record(text: string, start: number, final: boolean, lineFeedsOnly: boolean): Step {
    const line = this.#line;
    const length = text.length;
    const fields: string[] = [];
    let breaks = 0;
    let position = start;
    /** The next line feed at or after `position` (or the end of the text); found again once passed. */
    let lineEnd = -1;
    for (;;) {
      let value: string;
      let quoted = false;
      if (text.charCodeAt(position) === QUOTE) {
        quoted = true;
        const closed = this.#quoted(text, position, final);
        if (closed === undefined) return undefined;
        if (closed === 'unclosed') {
          const item: CsvItem = { kind: 'problem', line, reason: 'the file ends inside a quoted field: the last line is truncated', raw: '' };
          return { end: length, lines: 0, item };
        }
        value = closed.value;
        breaks += lineBreaksIn(value);
        position = closed.end;
      } else if (lineFeedsOnly) {
        if (lineEnd < position) {
          lineEnd = text.indexOf('\n', position);
          if (lineEnd === -1) lineEnd = length;
        }
        const delimiter = text.indexOf(this.#delimiterText, position);
        const end = delimiter === -1 || delimiter > lineEnd ? lineEnd : delimiter;
        value = text.slice(position, end);
        position = end;
      } else {
        let end = position;
        while (end < length) {
          const code = text.charCodeAt(end);
          if (code === this.#delimiter || code === LF || code === CR) break;
          end += 1;
        }
        value = text.slice(position, end);
        position = end;
      }
      fields.push(value);
      if (position >= length) {
        if (!final) return undefined;
        return { end: length, lines: breaks + 1, item: this.#complete(fields, quoted, line) };
      }
      const code = text.charCodeAt(position);
      if (code === this.#delimiter) {
        position += 1;
        if (position >= length && !final) return undefined;
        if (position >= length) {
          fields.push('');
          return { end: length, lines: breaks + 1, item: this.#complete(fields, false, line) };
        }
        continue;
      }
      if (code === LF || code === CR) {
        if (code === CR && position + 1 >= length && !final) return undefined;
        const end = code === CR && text.charCodeAt(position + 1) === LF ? position + 2 : position + 1;
        return { end, lines: breaks + 1, item: this.#complete(fields, quoted, line) };
      }
      return this.#badClosingQuote(text, position, final, line, breaks);
    }
  }

  /** A quoted value from the quote at `start`: its text and where it ends, or why it cannot end. */
  #quoted(text: string, start: number, final: boolean): { value: string; end: number } | 'unclosed' | undefined {
    let value = '';
    let from = start + 1;
    for (;;) {
      const close = text.indexOf('"', from);
      if (close === -1) return final ? 'unclosed' : undefined;
      // A quote at the very end of the text may be the first of an escaped pair the next chunk completes.
      if (close + 1 >= text.length && !final) return undefined;
      if (text.charCodeAt(close + 1) === QUOTE) {
        value += text.slice(from, close + 1);
        from = close + 2;
        continue;
      }
      return { value: value + text.slice(from, close), end: close + 1 };
    }
  }

  /** Text after a closing quote (`"a"b,`) makes the record unreadable; reading resumes on the next line. */
  #badClosingQuote(text: string, position: number, final: boolean, line: number, breaks: number): Step {
    const next = text.indexOf('\n', position);
    if (next === -1 && !final) return undefined;
    const end = next === -1 ? text.length : next + 1;
    // The text shown stops at the line's end: what follows the line depends on how much was read yet.
    let shown = text.slice(position, position + 10);
    const lineBreak = shown.search(/[\r\n]/);
    if (lineBreak !== -1) shown = shown.slice(0, lineBreak);
    const reason = `a quoted value is followed by "${shown}" before the next ${this.#delimiterText}: quotes inside a value must be doubled ("")`;
    return { end, lines: breaks + 1, item: { kind: 'problem', line, reason, raw: '' } };
  }

  /** An empty line is no record. */
  #complete(fields: string[], lastQuoted: boolean, line: number): CsvItem | undefined {
    if (fields.length === 1 && fields[0] === '' && !lastQuoted) return undefined;
    return { kind: 'record', line, fields };
  }
}
