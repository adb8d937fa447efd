// The reject file: one CSV line per bad row with its line number, the column at fault, the reason
// and the row as it was read, so the bank's data team can fix the source and import again.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';

export interface RejectedRow {
  line: number;
  column: string;
  reason: string;
  raw: string;
}

export interface RejectWriter {
  write(row: RejectedRow): Promise<void>;
  close(): Promise<void>;
}

export async function openRejectFile(path: string | undefined): Promise<RejectWriter> {
  if (path === undefined) return { write: async () => undefined, close: async () => undefined };
  await mkdir(dirname(path), { recursive: true });
  // The raw rows hold personal financial information: only the file's owner may read them.
  const stream: WriteStream = createWriteStream(path, { encoding: 'utf8', mode: 0o600 });
  // A BOM so that Excel, which bank staff open reject files with, reads the Chinese correctly.
  stream.write(`\uFEFF${stringify([['line', 'column', 'reason', 'record']])}`);
  return {
    async write(row) {
      const ok = stream.write(stringify([[row.line, row.column, row.reason, row.raw]]));
      if (!ok) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
      }),
  };
}
