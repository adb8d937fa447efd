// `kequn import <file>`: loads customers, holdings, events, managers or branches from CSV, JSON Lines
// or Parquet into a store, with a progress line and a summary; bad rows go to the reject file.
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  importFile,
  importKindSchema,
  loadColumnMapping,
  type ImportKind,
  type ImportProgress,
  type ImportSummary,
} from '@kequn/import';

import { openStoreAt } from '../store-location.js';

type Output = { write(text: string): void };
type Locale = 'zh-CN' | 'en';

function importKind(value: string): ImportKind {
  const parsed = importKindSchema.safeParse(value);
  if (!parsed.success)
    throw new InvalidArgumentError(
      `expected one of ${importKindSchema.options.join(', ')}, got "${value}".`,
    );
  return parsed.data;
}

const integer = new Intl.NumberFormat('en');

/** One line, redrawn in place, while the import runs in a terminal. */
function progressLine(enabled: boolean, locale: Locale) {
  if (!enabled) return { update: (_progress: ImportProgress) => undefined, stop: () => undefined };
  let drawn = false;
  return {
    update(progress: ImportProgress) {
      drawn = true;
      const text =
        locale === 'zh-CN'
          ? `已读 ${integer.format(progress.read)} 行 · 入库 ${integer.format(progress.stored)} · 拒绝 ${integer.format(progress.rejected)} · ${integer.format(progress.rowsPerSecond)} 行/秒`
          : `read ${integer.format(progress.read)} · stored ${integer.format(progress.stored)} · rejected ${integer.format(progress.rejected)} · ${integer.format(progress.rowsPerSecond)} rows/s`;
      process.stderr.write(`\r${text}\u001b[K`);
    },
    stop() {
      if (drawn) process.stderr.write('\n');
    },
  };
}

export function importSummaryText(summary: ImportSummary, locale: Locale): string {
  const seconds = summary.seconds.toFixed(1);
  const lines =
    locale === 'zh-CN'
      ? [
          `导入 ${summary.kind}（${summary.format}，${summary.encoding}）：读取 ${integer.format(summary.read)} 行，入库 ${integer.format(summary.stored)} 行，` +
            `拒绝 ${integer.format(summary.rejected)} 行（其中重复 ${integer.format(summary.duplicates)}），用时 ${seconds} 秒，${integer.format(summary.rowsPerSecond)} 行/秒。`,
        ]
      : [
          `Imported ${summary.kind} (${summary.format}, ${summary.encoding}): read ${integer.format(summary.read)} rows, stored ${integer.format(summary.stored)}, ` +
            `rejected ${integer.format(summary.rejected)} (${integer.format(summary.duplicates)} duplicates) in ${seconds} s, ${integer.format(summary.rowsPerSecond)} rows/s.`,
        ];
  if (summary.missingColumns.length > 0) {
    lines.push(
      locale === 'zh-CN'
        ? `文件缺少映射中的列：${summary.missingColumns.join('、')}。`
        : `The file lacks mapped columns: ${summary.missingColumns.join(', ')}.`,
    );
  }
  if (summary.rejected > 0) {
    const where =
      summary.rejectFile ??
      (locale === 'zh-CN'
        ? '（未指定，使用 --reject <文件> 保存明细）'
        : '(none; pass --reject <file> to keep them)');
    lines.push(locale === 'zh-CN' ? `拒绝明细：${where}` : `Rejected rows: ${where}`);
  }
  return lines.join('\n');
}

interface ImportCommandOptions {
  mapping?: string;
  kind?: ImportKind;
  store?: string;
  reject?: string;
  encoding?: string;
  format?: 'csv' | 'jsonl' | 'parquet';
  delimiter?: string;
  locale: Locale;
  json?: boolean;
  progress: boolean;
}

async function kindOf(options: ImportCommandOptions): Promise<ImportKind> {
  if (options.kind !== undefined) return options.kind;
  if (options.mapping === undefined) return 'customers';
  return (await loadColumnMapping(options.mapping)).kind;
}

export function registerImportCommand(program: Command, output: Output = process.stdout): Command {
  return program
    .command('import')
    .description(
      'import customers (or holdings, events, managers, branches) from CSV, JSON Lines or Parquet into the store',
    )
    .argument('<file>', 'the file to import (.csv, .jsonl or .parquet)')
    .option(
      '--mapping <file>',
      'column mapping (JSON or YAML); without it the headers must be model field paths',
    )
    .addOption(
      new Option(
        '--kind <kind>',
        'what the file holds; default: the mapping\'s "kind", else customers',
      ).argParser(importKind),
    )
    .option(
      '--store <location>',
      'sqlite:<path>, postgres://… or memory: (default sqlite:./.kequn/kequn.db)',
    )
    .option('--reject <file>', 'write rejected rows (line, column, reason) to this CSV file')
    .option('--encoding <encoding>', 'utf-8, gbk or gb18030 (default: detected)')
    .addOption(
      new Option('--format <format>', 'default: from the file name').choices([
        'csv',
        'jsonl',
        'parquet',
      ]),
    )
    .option('--delimiter <character>', 'CSV field delimiter (default ,)')
    .addOption(
      new Option('--locale <locale>', 'language of the summary')
        .choices(['zh-CN', 'en'])
        .default('zh-CN'),
    )
    .option('--json', 'print the summary as JSON')
    .option('--no-progress', 'do not draw the progress line')
    .action(async (file: string, options: ImportCommandOptions) => {
      const kind = await kindOf(options);
      const store = await openStoreAt(options.store);
      const progress = progressLine(
        options.progress && process.stderr.isTTY === true && options.json !== true,
        options.locale,
      );
      try {
        const summary = await importFile(kind, resolve(file), {
          store,
          mapping: options.mapping,
          rejectFile: options.reject === undefined ? undefined : resolve(options.reject),
          encoding: options.encoding,
          format: options.format,
          delimiter: options.delimiter,
          onProgress: (current) => progress.update(current),
        });
        progress.stop();
        // Importing personal information is itself a processing act the bank must be able to show.
        await store.auditLog.append([
          {
            at: new Date().toISOString(),
            actor: 'cli:import',
            action: 'import',
            subject: `file:${resolve(file)}`,
            details: { ...summary },
          },
        ]);
        output.write(
          options.json === true
            ? `${JSON.stringify(summary, null, 2)}\n`
            : `${importSummaryText(summary, options.locale)}\n`,
        );
      } finally {
        progress.stop();
        await store.close();
      }
    });
}
