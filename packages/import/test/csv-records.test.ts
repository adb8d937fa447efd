import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter, type CsvItem } from '../src/csv-records.js';

/** Splits the text fed in the given pieces, as chunks of a file arrive. */
function split(pieces: readonly string[], delimiter = ','): CsvItem[] {
  const splitter = new CsvRecordSplitter(delimiter);
  const items: CsvItem[] = [];
  for (const piece of pieces) splitter.push(piece, items);
  splitter.end(items);
  return items;
}

/** Every way of cutting the text in two: records must not depend on where a chunk ends. */
function everyCut(text: string): CsvItem[][] {
  return Array.from({ length: text.length + 1 }, (_, cut) => split([text.slice(0, cut), text.slice(cut)]));
}

describe('CSV records', () => {
  it('reads quoted values with delimiters, doubled quotes and line breaks, numbering records by their first line', () => {
    const text = '\uFEFFid,note\r\nC1,"a, ""b""\r\nc"\r\nC2,plain\n\nC3,"x"\rC4,last';
    const expected: CsvItem[] = [
      { kind: 'record', line: 1, fields: ['id', 'note'] },
      { kind: 'record', line: 2, fields: ['C1', 'a, "b"\r\nc'] },
      { kind: 'record', line: 4, fields: ['C2', 'plain'] },
      { kind: 'record', line: 6, fields: ['C3', 'x'] },
      { kind: 'record', line: 7, fields: ['C4', 'last'] },
    ];
    for (const items of everyCut(text)) expect(items).toEqual(expected);
  });

  it('reads the same from text with line feeds only, where values are found by searching', () => {
    const text = 'id,note,n\nC1,"a, ""b""\nc",1\nC2,plain,\n\n,"x",\nC4,5" screen,last';
    const expected: CsvItem[] = [
      { kind: 'record', line: 1, fields: ['id', 'note', 'n'] },
      { kind: 'record', line: 2, fields: ['C1', 'a, "b"\nc', '1'] },
      { kind: 'record', line: 4, fields: ['C2', 'plain', ''] },
      { kind: 'record', line: 6, fields: ['', 'x', ''] },
      { kind: 'record', line: 7, fields: ['C4', '5" screen', 'last'] },
    ];
    for (const items of everyCut(text)) expect(items).toEqual(expected);
  });

  it('takes a quote inside an unquoted value as text and keeps empty trailing values', () => {
    expect(split(['a,5" screen,\n'])).toEqual([{ kind: 'record', line: 1, fields: ['a', '5" screen', ''] }]);
  });

  it('reports a quote left open at the end of the file on the line its record starts', () => {
    const items = split(['id,note\nC1,ok\nC2,"never closed\nmore']);
    expect(items.at(-1)).toMatchObject({ kind: 'problem', line: 3, reason: expect.stringContaining('truncated') });
    expect(items).toHaveLength(3);
  });

  it('rejects text after a closing quote and reads on from the next line', () => {
    const items = split(['C1,"a"b,c\nC2,d\n']);
    expect(items[0]).toMatchObject({ kind: 'problem', line: 1 });
    expect(items[1]).toEqual({ kind: 'record', line: 2, fields: ['C2', 'd'] });
  });

  it('splits on another one-character delimiter', () => {
    expect(split(['a;b\tc\n'], ';')).toEqual([{ kind: 'record', line: 1, fields: ['a', 'b\tc'] }]);
  });
});
