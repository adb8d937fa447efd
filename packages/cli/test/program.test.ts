// The `kequn` command line, driven in-process: createProgram(output) with a captured output and
// exitOverride(), so bad options surface as errors instead of ending the test run.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tierIds } from '@kequn/plugin-tiering';
import { featuredGroupIds } from '@kequn/plugin-featured-groups';
import { createProgram } from '../src/index.js';

/** Where `--no-store` demos write their dispatched messages: never the working directory. */
const scratchMessages = join(mkdtempSync(join(tmpdir(), 'kequn-cli-messages-')), 'messages.jsonl');

function capturedProgram() {
  const written: string[] = [];
  const errors: string[] = [];
  const program = createProgram({ write: (text) => void written.push(text) });
  // Commander copies these settings to subcommands only when they are created, so set them on each.
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => void written.push(text),
      writeErr: (text) => void errors.push(text),
    });
  }
  return {
    run: (...args: string[]) => program.parseAsync(args, { from: 'user' }),
    output: () => written.join(''),
    errorOutput: () => errors.join(''),
  };
}

describe('kequn demo options', () => {
  it.each([
    ['--customers', 'abc'],
    ['--customers', '0'],
    ['--customers', '1.5'],
    ['--seed', '-3'],
    ['--as-of', '2026-13-45'],
    ['--as-of', '2026-02-30'],
    ['--as-of', '31/10/2026'],
    ['--locale', 'fr'],
  ])('rejects %s %s with a message naming the option', async (option, value) => {
    const cli = capturedProgram();
    await expect(cli.run('demo', option, value)).rejects.toThrow(
      expect.objectContaining({
        code: 'commander.invalidArgument',
        message: expect.stringContaining(`'${option} `),
      }),
    );
    expect(cli.errorOutput()).toContain(`option '${option} `);
    expect(cli.errorOutput()).toContain(`'${value}' is invalid`);
    expect(cli.output()).toBe('');
  });

  it('rejects any day a month does not have', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2000, max: 2040 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 29, max: 31 }),
        async (year, month, day) => {
          const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
          fc.pre(day > daysInMonth);
          const date = `${year}-${String(month).padStart(2, '0')}-${day}`;
          const cli = capturedProgram();
          await expect(cli.run('demo', '--as-of', date)).rejects.toThrow(/--as-of/);
        },
      ),
    );
  });

  it('accepts a leap day as the as-of date', async () => {
    const cli = capturedProgram();
    await cli.run('demo', '--json', '--no-store', '--messages', scratchMessages, '--customers', '1', '--as-of', '2024-02-29');
    expect(JSON.parse(cli.output())).toMatchObject({ customers: 1 });
  });
});

describe('kequn demo output', () => {
  it('prints the report as parseable JSON with --json', async () => {
    const cli = capturedProgram();
    await cli.run('demo', '--json', '--no-store', '--messages', scratchMessages, '--customers', '2000');

    const report: unknown = JSON.parse(cli.output());
    expect(report).toMatchObject({ customers: 2_000 });
    const { tiers, featuredGroups, peakRssBytes } = report as {
      tiers: { id: string; customers: number }[];
      featuredGroups: { id: string }[];
      peakRssBytes: number;
    };
    expect(tiers.map((row) => row.id)).toEqual([...tierIds]);
    expect(tiers.reduce((sum, row) => sum + row.customers, 0)).toBe(2_000);
    expect(featuredGroups.map((row) => row.id)).toEqual([...featuredGroupIds]);
    expect(peakRssBytes).toBeGreaterThan(0);
    expect(cli.errorOutput()).toBe('');
  });

  it('prints tables in the chosen locale', async () => {
    const cli = capturedProgram();
    await cli.run('demo', '--customers', '300', '--locale', 'en', '--no-progress', '--no-store', '--messages', scratchMessages);
    expect(cli.output()).toContain('300 customers');
    expect(cli.output()).toContain('Asset tiers');
    expect(cli.output()).toContain('Peak memory');
    expect(cli.output()).not.toContain('资产分层');
  });
});

describe('kequn demo and its store', () => {
  it('keeps the bank in the store and reads it back on the second run, with the same result', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kequn-demo-'));
    const store = `sqlite:${join(folder, 'kequn.db')}`;
    type Report = { source: string; tiers: { id: string; customers: number }[]; abcd: { customers: number }[] };
    const run = async (customers: string): Promise<Report> => {
      const cli = capturedProgram();
      await cli.run('demo', '--json', '--store', store, '--customers', customers);
      return JSON.parse(cli.output()) as Report;
    };
    try {
      const first = await run('800');
      const second = await run('800');
      expect(first.source).toBe('generated-and-stored');
      expect(second.source).toBe('store');
      expect(second.tiers).toEqual(first.tiers);
      expect(second.abcd).toEqual(first.abcd);

      // A smaller bank replaces the larger one entirely: nothing of the first is left behind.
      const smaller = await run('300');
      expect(smaller.source).toBe('generated-and-stored');
      const again = await run('300');
      expect(again.source).toBe('store');
      expect(again.tiers.reduce((sum, row) => sum + row.customers, 0)).toBe(300);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
