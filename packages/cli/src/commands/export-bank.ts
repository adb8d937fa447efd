// `kequn export-bank`: writes the synthetic bank as the CSV files a core banking system hands over,
// with mapping files, so that `kequn import` can be shown end to end.
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { exportBank } from '@kequn/import';
import { createSyntheticBank } from '@kequn/testing';

type Output = { write(text: string): void };

function wholeNumber(name: string, minimum: number) {
  return (value: string): number => {
    const parsed = Number(value.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isInteger(parsed) || parsed < minimum) {
      throw new InvalidArgumentError(
        `${name} must be a whole number of at least ${minimum}, got "${value}".`,
      );
    }
    return parsed;
  };
}

interface ExportBankOptions {
  customers: number;
  seed: number;
  out: string;
  events?: boolean;
  progress: boolean;
}

const integer = new Intl.NumberFormat('en');

export function registerExportBankCommand(
  program: Command,
  output: Output = process.stdout,
): Command {
  return program
    .command('export-bank')
    .description(
      'write the synthetic bank as CSV files (customers, holdings, managers, branches, optionally events) with mapping files',
    )
    .option('--customers <n>', 'number of customers', wholeNumber('--customers', 1), 10_000)
    .option('--seed <n>', 'random seed of the synthetic bank', wholeNumber('--seed', 0), 42)
    .addOption(new Option('--out <folder>', 'where to write the files').makeOptionMandatory())
    .option(
      '--events',
      "also write every customer's twelve months of events (a few hundred rows each)",
    )
    .option('--no-progress', 'do not draw the progress line')
    .action(async (options: ExportBankOptions) => {
      const folder = resolve(options.out);
      const bank = createSyntheticBank({ seed: options.seed, customers: options.customers });
      const drawing = options.progress && process.stderr.isTTY === true;
      const started = performance.now();
      const files = await exportBank(bank, folder, {
        events: options.events === true,
        onProgress: (written) => {
          if (!drawing) return;
          const rate = Math.round(written / Math.max((performance.now() - started) / 1000, 0.001));
          process.stderr.write(
            `\r${integer.format(written)} / ${integer.format(options.customers)} customers · ${integer.format(rate)} rows/s\u001b[K`,
          );
        },
      });
      if (drawing) process.stderr.write('\n');
      for (const file of files)
        output.write(
          `${file.kind.padEnd(10)} ${integer.format(file.rows).padStart(12)} rows  ${file.path}  (mapping: ${file.mappingPath})\n`,
        );
      output.write(
        `Import them with: kequn import ${files.find((file) => file.kind === 'customers')?.path ?? 'customers.csv'} --mapping <its .mapping.json>\n`,
      );
    });
}
