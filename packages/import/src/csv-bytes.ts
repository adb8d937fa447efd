// Reads a UTF-8 CSV file as bytes, for the byte path of a customer import (byte-customers.ts).
// The plain records a bank export is made of (cells unquoted, or quoted with no doubled quote and
// no line break inside; `\n` or `\r\n` after each) are split here into their cells' byte positions,
// with no strings made. Every other record (a doubled quote, a line break inside quotes, a lone
// `\r`, text after a closing quote, a last record with no line break, the bytes of U+FFFD) is
// decoded and read by the string splitter (csv-records.ts) one record at a time, so that it reads
// exactly as it always has. From the first bytes that are not valid UTF-8 on, the rest of the file
// is decoded and split as text, as sources.ts' openCsv does. Records come in the file's order,
// each with the line it starts on.
import { isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { CsvRecordSplitter, type CsvItem } from './csv-records.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const REPLACEMENT = Buffer.from('\uFFFD', 'utf8');

/** Bytes read from the file at a time; a record longer than this grows the buffer. */
const CHUNK_BYTES = 1 << 20;

export interface ByteChunk {
  bytes: Buffer;
  /** The file offset of `bytes[0]`. */
  base: number;
  /**
   * The chunk's records in file order, from `from` to `length`. A record read here is
   * `line, cellCount, recordStart, recordEnd, start0, end0, start1, end1, …` (byte positions in
   * `bytes`); a record read as text is `0, index of its item in items, recordStart, recordEnd`
   * (-1, -1 once the rest of the file is read as text).
   */
  entries: Int32Array;
  from: number;
  length: number;
  items: CsvItem[];
}

/** Whether a delimiter can be split on as a byte (an ASCII character other than a quote or a line break). */
export function isByteDelimiter(delimiter: string): boolean {
  const code = delimiter.charCodeAt(0);
  return delimiter.length === 1 && code < 0x80 && code !== QUOTE && code !== LF && code !== CR;
}

type Scan = 'complete' | 'text';

export interface ByteReaderOptions {
  /** Bytes read at a time (tests make it small, to cut records at every place). Default 1 MB. */
  chunkBytes?: number;
  /** The file offset to start at: 0, or the start of a record (a segment read by a worker). */
  start?: number;
  /** Records starting at or after this offset are left unread (the next segment's). */
  stop?: number;
  /** The line the start is on, or 1 for a segment whose lines are counted from its start. */
  line?: number;
  /** Whether the header is already read (a segment after the first): then no record is held back as it. */
  headerRead?: boolean;
  /**
   * Bytes that are not valid UTF-8 turn the rest of the file to text (true, the default); false
   * stops there instead, leaving `textFrom` set, for a segment whose rest must be read in one go.
   */
  textFallback?: boolean;
}

/** Text mode: the rest of the file decoded and split as sources.ts' openCsv does. */
interface TextMode {
  decoder: ReturnType<typeof iconv.getDecoder>;
  splitter: CsvRecordSplitter;
}

export class CsvByteReader {
  readonly #file: FileHandle;
  readonly #delimiter: number;
  readonly #delimiterText: string;
  /** Reads the records handed to it, one at a time. */
  readonly #splitter: CsvRecordSplitter;
  #bytes: Buffer;
  /** The file offset of `#bytes[0]`. */
  #base: number;
  readonly #stop: number;
  readonly #textFallback: boolean;
  #textFrom: number | undefined;
  #filled = 0;
  /** The next byte not yet split. */
  #position = 0;
  #fileOffset = 0;
  #eof = false;
  #done = false;
  #line = 1;
  #started = false;
  /** The header (the first record) is always read as text: it is read once, and must read as openCsv reads it. */
  #headerRead = false;
  #text: TextMode | undefined;
  #entries = new Int32Array(1 << 16);
  #closing: Promise<void> | undefined;

  private constructor(file: FileHandle, delimiter: string, options: ByteReaderOptions) {
    this.#file = file;
    this.#bytes = Buffer.allocUnsafe(Math.max(1, Math.floor(options.chunkBytes ?? CHUNK_BYTES)));
    this.#delimiterText = delimiter;
    this.#delimiter = delimiter.charCodeAt(0);
    this.#splitter = new CsvRecordSplitter(delimiter, { atStart: false });
    const start = options.start ?? 0;
    this.#base = start;
    this.#fileOffset = start;
    this.#stop = options.stop ?? Number.POSITIVE_INFINITY;
    this.#line = options.line ?? 1;
    this.#headerRead = options.headerRead ?? false;
    this.#textFallback = options.textFallback ?? true;
    // Only the file's own start can hold a byte-order mark.
    this.#started = start > 0;
  }

  static async open(path: string, delimiter: string, options: ByteReaderOptions = {}): Promise<CsvByteReader> {
    if (!isByteDelimiter(delimiter)) throw new Error(`the byte reader splits on an ASCII delimiter, not "${delimiter}"`);
    return new CsvByteReader(await open(path, 'r'), delimiter, options);
  }

  /** Where reading stopped (once `next` has returned undefined): the file offset of the first byte not read. */
  get end(): number {
    return this.#base + this.#position;
  }

  /** The line reading stopped on (lines read = `line` less the line it started on). */
  get line(): number {
    return this.#line;
  }

  /** With `textFallback: false`: the offset of the record from which the rest must be read as text, if any. */
  get textFrom(): number | undefined {
    return this.#textFrom;
  }

  /** The next records of the file, or undefined at its end. Each chunk's bytes are reused by the next. */
  async next(): Promise<ByteChunk | undefined> {
    for (;;) {
      if (this.#done) return undefined;
      await this.#fill();
      const chunk = this.#text === undefined ? this.#splitBytes() : this.#splitText(this.#text);
      if (chunk.length > chunk.from || this.#done) return chunk;
    }
  }

  /** Closes the file, once however often it is asked (reading to the end closes it too). */
  close(): Promise<void> {
    this.#closing ??= this.#file.close();
    return this.#closing;
  }

  /** Moves the bytes not yet split to the front and reads more after them. */
  async #fill(): Promise<void> {
    if (this.#eof) return;
    const kept = this.#filled - this.#position;
    this.#base += this.#position;
    if (this.#position > 0) this.#bytes.copyWithin(0, this.#position, this.#filled);
    else if (kept === this.#bytes.length) {
      // One record longer than the buffer: make room for it.
      const grown = Buffer.allocUnsafe(this.#bytes.length * 2);
      this.#bytes.copy(grown, 0, 0, kept);
      this.#bytes = grown;
    }
    this.#filled = kept;
    this.#position = 0;
    const { bytesRead } = await this.#file.read(this.#bytes, kept, this.#bytes.length - kept, this.#fileOffset);
    this.#fileOffset += bytesRead;
    this.#filled += bytesRead;
    if (bytesRead === 0) this.#eof = true;
  }

  #chunk(items: CsvItem[], length: number): ByteChunk {
    return { bytes: this.#bytes, base: this.#base, entries: this.#entries, from: 0, length, items };
  }

  #finish(): void {
    this.#done = true;
    this.close().catch(() => undefined);
  }

  #grow(needed: number): void {
    if (needed <= this.#entries.length) return;
    const grown = new Int32Array(Math.max(needed, this.#entries.length * 2));
    grown.set(this.#entries);
    this.#entries = grown;
  }

  #splitBytes(): ByteChunk {
    const bytes = this.#bytes;
    const limit = this.#filled;
    const final = this.#eof;
    const items: CsvItem[] = [];
    // Only whole lines are checked and split: a record cut by the buffer's end waits for the rest.
    const regionEnd = final ? limit : bytes.lastIndexOf(LF, limit - 1) + 1;
    let position = this.#position;
    // Bytes that are not UTF-8 turn the rest of the file to text; a segment (no text fallback) reads
    // carefully instead, line by line, up to the record that holds them, and stops there.
    const careful = !isUtf8(bytes.subarray(position, regionEnd));
    if (careful && this.#textFallback) return this.#toText(items);
    if (!this.#started && regionEnd > 0) {
      this.#started = true;
      // A byte-order mark is dropped by the decoder, and one more by the splitter, as openCsv reads them.
      for (let marks = 0; marks < 2 && bytes[position] === 0xef && bytes[position + 1] === 0xbb && bytes[position + 2] === 0xbf; marks++) position += 3;
    }
    const region = bytes.subarray(0, regionEnd);
    let replacementAt = region.indexOf(REPLACEMENT, position);
    const delimiter = this.#delimiter;
    let length = 0;
    let line = this.#line;
    // Records from here on are the next segment's.
    const stopAt = this.#stop - this.#base;
    let stopped = false;
    while (position < regionEnd) {
      if (position >= stopAt) {
        stopped = true;
        break;
      }
      if (careful && !this.#validLine(position, regionEnd)) {
        this.#textFrom = this.#base + position;
        stopped = true;
        break;
      }
      const recordStart = position;
      if (bytes[position] === LF) {
        // An empty line is no record.
        position += 1;
        line += 1;
        continue;
      }
      let scan: Scan = this.#headerRead && bytes[position] !== CR ? 'complete' : 'text';
      let at = length + 4;
      let cells = 0;
      let end = position;
      this.#grow(at + 256);
      let entries = this.#entries;
      while (scan === 'complete') {
        let cellStart: number;
        let cellEnd: number;
        if (bytes[end] === QUOTE) {
          let close = end + 1;
          while (close < regionEnd && bytes[close] !== QUOTE) {
            if (bytes[close] === LF || bytes[close] === CR) break;
            close += 1;
          }
          if (close + 1 >= regionEnd || bytes[close] !== QUOTE || bytes[close + 1] === QUOTE) {
            scan = 'text';
            break;
          }
          cellStart = end + 1;
          cellEnd = close;
          end = close + 1;
        } else {
          let stop = end;
          while (stop < regionEnd) {
            const byte = bytes[stop];
            if (byte === delimiter || byte === LF || byte === CR) break;
            stop += 1;
          }
          if (stop >= regionEnd) {
            scan = 'text';
            break;
          }
          cellStart = end;
          cellEnd = stop;
          end = stop;
        }
        if (at + 2 > entries.length) {
          this.#grow(at + 256);
          entries = this.#entries;
        }
        entries[at++] = cellStart;
        entries[at++] = cellEnd;
        cells += 1;
        const after = bytes[end];
        if (after === delimiter) {
          end += 1;
          if (end >= regionEnd) scan = 'text';
          continue;
        }
        if (after === LF) {
          end += 1;
          break;
        }
        if (after === CR && end + 1 < regionEnd && bytes[end + 1] === LF) {
          end += 2;
          break;
        }
        // A lone `\r`, or text after a closing quote.
        scan = 'text';
      }
      // A record holding U+FFFD is read as text, where it is reported as undecodable.
      if (scan === 'complete' && (replacementAt === -1 || replacementAt >= end)) {
        entries[length] = line;
        entries[length + 1] = cells;
        entries[length + 2] = recordStart;
        entries[length + 3] = end;
        length = at;
        line += 1;
        position = end;
        continue;
      }
      const step = this.#readAsText(recordStart, regionEnd, final, line, careful);
      if (step === 'invalid') {
        this.#textFrom = this.#base + recordStart;
        stopped = true;
        break;
      }
      if (step === undefined) break;
      if (step.item !== undefined) {
        this.#grow(length + 4);
        this.#entries[length] = 0;
        this.#entries[length + 1] = items.length;
        this.#entries[length + 2] = recordStart;
        this.#entries[length + 3] = recordStart + step.consumed;
        length += 4;
        items.push(step.item);
        this.#headerRead = true;
      }
      line += step.lines;
      position = recordStart + step.consumed;
      if (replacementAt !== -1 && replacementAt < position) replacementAt = region.indexOf(REPLACEMENT, position);
    }
    this.#position = position;
    this.#line = line;
    if (stopped || (final && position >= limit)) this.#finish();
    return this.#chunk(items, length);
  }

  /**
   * The record at `start` read by the string splitter, from a window of whole lines that doubles
   * until it holds the record; undefined when it runs past the bytes read so far.
   */
  /** Whether the line from `start` (to its line feed, or `regionEnd`) is valid UTF-8. */
  #validLine(start: number, regionEnd: number): boolean {
    const lineFeed = this.#bytes.subarray(0, regionEnd).indexOf(LF, start);
    return isUtf8(this.#bytes.subarray(start, lineFeed === -1 ? regionEnd : lineFeed + 1));
  }

  #readAsText(start: number, regionEnd: number, final: boolean, line: number, careful: boolean): { consumed: number; lines: number; item: CsvItem | undefined } | 'invalid' | undefined {
    const bytes = this.#bytes;
    let windowEnd = start;
    for (;;) {
      const wanted = windowEnd === start ? start : start + 2 * (windowEnd - start);
      const lineFeed = wanted >= regionEnd ? -1 : bytes.subarray(0, regionEnd).indexOf(LF, wanted);
      const atEnd = lineFeed === -1;
      if (atEnd && !final) return undefined;
      windowEnd = atEnd ? regionEnd : lineFeed + 1;
      if (careful && !isUtf8(bytes.subarray(start, windowEnd))) return 'invalid';
      const text = bytes.toString('utf8', start, windowEnd);
      const step = this.#splitter.readOne(text, 0, atEnd, line);
      if (step === undefined) {
        if (atEnd) return undefined;
        continue;
      }
      const consumed = step.end === text.length ? windowEnd - start : Buffer.byteLength(text.slice(0, step.end));
      return { consumed, lines: step.lines, item: step.item };
    }
  }

  /** From here on the file is decoded and split as text. */
  #toText(items: CsvItem[]): ByteChunk {
    const atStart = !this.#started;
    this.#started = true;
    // At the very start the decoder drops a byte-order mark, and the splitter one more, as in openCsv.
    const text: TextMode = {
      decoder: iconv.getDecoder('utf-8', { stripBOM: atStart }),
      splitter: new CsvRecordSplitter(this.#delimiterText, { line: this.#line, atStart }),
    };
    this.#text = text;
    return this.#splitText(text, items);
  }

  #splitText(text: TextMode, items: CsvItem[] = []): ByteChunk {
    const decoded = text.decoder.write(this.#bytes.subarray(this.#position, this.#filled));
    this.#position = this.#filled;
    if (decoded !== '') text.splitter.push(decoded, items);
    if (this.#eof) {
      const rest = text.decoder.end() ?? '';
      if (rest !== '') text.splitter.push(rest, items);
      text.splitter.end(items);
      this.#finish();
    }
    this.#grow(items.length * 4);
    for (let index = 0; index < items.length; index++) {
      this.#entries.set([0, index, -1, -1], index * 4);
    }
    if (items.length > 0) this.#headerRead = true;
    return this.#chunk(items, items.length * 4);
  }
}
