// The `kequn` command line. Each command is a thin shell over the SDK's public API.
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { KequnStore } from '@kequn/core';
import { SingleBar, Presets } from 'cli-progress';
import { runDemo } from './demo.js';
import { demoText, type Locale } from './format.js';
import { registerBookCommands } from './commands/books.js';
import { registerCampaignCommands } from './commands/campaign.js';
import { registerImportCommand } from './commands/import.js';
import { registerExportBankCommand } from './commands/export-bank.js';
import { registerServeCommand } from './commands/serve.js';
import { openStoreAt } from './store-location.js';

function positiveInteger(name: string) {
  return (value: string): number => {
    const parsed = Number(value.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isInteger(parsed) || parsed <= 0) {
      throw new InvalidArgumentError(`${name} must be a whole number above 0, got "${value}".`);
    }
    return parsed;
  };
}

function isoDate(value: string): string {
  // Date.parse rolls 2026-02-30 over to 2 March, so only a date that survives the round trip is real.
  const parsed = Date.parse(value);
  const onTheCalendar =
    !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === value;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !onTheCalendar) {
    throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, got "${value}".`);
  }
  return value;
}

function locale(value: string): Locale {
  if (value === 'zh-CN' || value === 'en') return value;
  throw new InvalidArgumentError(`expected "zh-CN" or "en", got "${value}".`);
}

function progressBar(enabled: boolean) {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    {
      format: '{bar} {percentage}% | {value}/{total} customers | {rate} customers/s',
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  const started = performance.now();
  let running = false;
  return {
    update(loaded: number, total: number) {
      if (!running) {
        bar.start(total, 0, { rate: 0 });
        running = true;
      }
      const seconds = (performance.now() - started) / 1000;
      bar.update(loaded, { rate: Math.round(loaded / Math.max(seconds, 0.001)) });
    },
    stop() {
      if (running) bar.stop();
    },
  };
}

/** The demo's messages file: beside a SQLite store's file, else in ./.kequn. */
function messagesBeside(store: KequnStore | undefined): string {
  const path = store !== undefined && 'path' in store && typeof store.path === 'string' && store.path !== ':memory:' ? store.path : undefined;
  return path === undefined ? './.kequn/demo-messages.jsonl' : join(dirname(path), 'demo-messages.jsonl');
}

export function createProgram(output: { write(text: string): void } = process.stdout): Command {
  const program = new Command('kequn')
    .description('Kequn (客群) — customer-group operations for banks')
    .showHelpAfterError();

  program
    .command('demo')
    .description('generate a synthetic bank, tier and group every customer, and print the result')
    .option('--customers <n>', 'number of customers', positiveInteger('--customers'), 100_000)
    .option('--seed <n>', 'random seed of the synthetic bank', positiveInteger('--seed'), 42)
    .option('--as-of <date>', 'the date the book is judged on', isoDate, '2026-10-31')
    .option('--locale <locale>', 'zh-CN or en', locale, 'zh-CN')
    .option('--json', 'print the report as JSON')
    .option('--no-progress', 'do not draw a progress bar')
    .option(
      '--store <location>',
      'where the bank is kept between runs: sqlite:<path>, postgres://…, memory: (default ./.kequn/kequn.db)',
    )
    .option('--no-store', 'keep nothing; generate the bank in memory only')
    .option('--messages <path>', 'where the console channel writes the dispatched messages (default: beside the SQLite store, else ./.kequn/demo-messages.jsonl)')
    .action(
      async (options: {
        customers: number;
        seed: number;
        asOf: string;
        locale: Locale;
        json?: boolean;
        progress: boolean;
        store?: string | false;
        messages?: string;
      }) => {
        const bar = progressBar(
          options.progress && process.stderr.isTTY === true && options.json !== true,
        );
        const store = options.store === false ? undefined : await openStoreAt(options.store);
        const report = await runDemo({
          customers: options.customers,
          seed: options.seed,
          asOf: options.asOf,
          ...(store === undefined ? {} : { store }),
          messagesPath: options.messages ?? messagesBeside(store),
          onProgress: (loaded, total) => bar.update(loaded, total),
        }).finally(async () => {
          bar.stop();
          await store?.close();
        });
        const peakRss = process.resourceUsage().maxRSS * 1024;
        if (options.json === true) {
          output.write(`${JSON.stringify({ ...report, peakRssBytes: peakRss }, null, 2)}\n`);
          return;
        }
        output.write(`${demoText(report, options.locale)}\n`);
        const mb = (peakRss / 1024 / 1024).toFixed(0);
        output.write(
          options.locale === 'zh-CN' ? `峰值内存 ${mb} MB。\n` : `Peak memory ${mb} MB.\n`,
        );
      },
    );

  registerImportCommand(program, output);
  registerExportBankCommand(program, output);
  registerBookCommands(program, output);
  registerServeCommand(program, output);
  registerCampaignCommands(program, output);
  return program;
}
