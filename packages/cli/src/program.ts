// The `kequn` command line. Each command is a thin shell over the SDK's public API.
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { runDemo } from './demo.js';
import { demoText, type Locale } from './format.js';

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
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
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
    { format: '{bar} {percentage}% | {value}/{total} customers | {rate} customers/s', hideCursor: true, etaBuffer: 50 },
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
    .action(async (options: { customers: number; seed: number; asOf: string; locale: Locale; json?: boolean; progress: boolean }) => {
      const bar = progressBar(options.progress && process.stderr.isTTY === true && options.json !== true);
      const report = await runDemo({
        customers: options.customers,
        seed: options.seed,
        asOf: options.asOf,
        onProgress: (loaded, total) => bar.update(loaded, total),
      }).finally(() => bar.stop());
      const peakRss = process.resourceUsage().maxRSS * 1024;
      if (options.json === true) {
        output.write(`${JSON.stringify({ ...report, peakRssBytes: peakRss }, null, 2)}\n`);
        return;
      }
      output.write(`${demoText(report, options.locale)}\n`);
      const mb = (peakRss / 1024 / 1024).toFixed(0);
      output.write(options.locale === 'zh-CN' ? `峰值内存 ${mb} MB。\n` : `Peak memory ${mb} MB.\n`);
    });

  return program;
}
