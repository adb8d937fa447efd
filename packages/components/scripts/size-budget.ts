// Size budget: each element's define entry bundled on its own (minified, gzip level 9) with Lit's
// core left out — the portal pays for Lit once, however many elements it uses. Dependencies an
// element brings (@lit/context, @lit-labs/virtualizer) count against it; the optional ECharts peer
// does not (the small adapter that imports it does).
//   pnpm --filter @kequn/components size       prints the table, exits 1 when over budget
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { defineEntries, packageRoot } from './build.js';

/** Budgets in bytes of gzip: 12 KB per element, 25 KB for the virtualized list. */
export const budgets: Readonly<Record<string, number>> = {
  'define/kq-customer-list': 25 * 1024,
};
export const defaultBudget = 12 * 1024;
/** Elements measured; `all` is reported but has no budget of its own. */
const unbudgeted = new Set(['define/all']);

const litCore = [
  /^lit(\/|$)/,
  /^lit-html(\/|$)/,
  /^lit-element(\/|$)/,
  /^@lit\/reactive-element(\/|$)/,
];
/** ECharts is an optional peer loaded only for renderer="echarts": outside every budget. */
const echarts = /^echarts(\/|$)/;

export interface ElementSize {
  readonly entry: string;
  readonly minified: number;
  readonly gzip: number;
  readonly budget: number | undefined;
}

async function measure(entry: string, file: string): Promise<ElementSize> {
  const output = (await build({
    configFile: false,
    root: packageRoot,
    logLevel: 'silent',
    publicDir: false,
    resolve: { conditions: ['@kequn/source', 'module', 'browser', 'production'] },
    build: {
      write: false,
      target: 'es2022',
      reportCompressedSize: false,
      lib: { entry: file, formats: ['es'], fileName: 'element' },
      rolldownOptions: {
        external: [...litCore, echarts],
        output: { minify: true, codeSplitting: false },
      },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const outputs = Array.isArray(output) ? output : [output];
  const code = outputs
    .flatMap((each) => each.output)
    .filter((chunk): chunk is Rolldown.OutputChunk => chunk.type === 'chunk')
    .map((chunk) => chunk.code)
    .join('\n');
  return {
    entry,
    minified: Buffer.byteLength(code),
    gzip: gzipSync(code, { level: 9 }).length,
    budget: unbudgeted.has(entry) ? undefined : (budgets[entry] ?? defaultBudget),
  };
}

export interface BuiltChunk {
  readonly fileName: string;
  readonly isEntry: boolean;
  readonly code: string;
}

/**
 * An element's define entry bundled as a portal's bundler would, ECharts included and code
 * splitting on: what the entry chunk holds is what a page pays for before any renderer="echarts".
 */
export async function bundleWithOptionalPeers(entry: string): Promise<BuiltChunk[]> {
  const file = (await defineEntries())[entry];
  if (file === undefined) throw new Error(`No define entry ${entry}`);
  const output = (await build({
    configFile: false,
    root: packageRoot,
    logLevel: 'silent',
    publicDir: false,
    resolve: { conditions: ['@kequn/source', 'module', 'browser', 'production'] },
    build: {
      write: false,
      target: 'es2022',
      reportCompressedSize: false,
      lib: { entry: file, formats: ['es'], fileName: 'element' },
      rolldownOptions: { external: litCore, output: { minify: true } },
    },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  return (Array.isArray(output) ? output : [output])
    .flatMap((each) => each.output)
    .filter((chunk): chunk is Rolldown.OutputChunk => chunk.type === 'chunk')
    .map((chunk) => ({ fileName: chunk.fileName, isEntry: chunk.isEntry, code: chunk.code }));
}

export async function measureElementSizes(): Promise<ElementSize[]> {
  const sizes: ElementSize[] = [];
  for (const [entry, file] of Object.entries(await defineEntries()))
    sizes.push(await measure(entry, file));
  return sizes.sort((a, b) => a.entry.localeCompare(b.entry));
}

export function overBudget(sizes: readonly ElementSize[]): ElementSize[] {
  return sizes.filter((size) => size.budget !== undefined && size.gzip > size.budget);
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sizes = await measureElementSizes();
  for (const size of sizes) {
    const budget = size.budget === undefined ? '(no budget)' : `budget ${kb(size.budget)}`;
    console.log(
      `${size.entry.padEnd(28)} ${kb(size.minified).padStart(9)} min  ${kb(size.gzip).padStart(8)} gzip  ${budget}`,
    );
  }
  const over = overBudget(sizes);
  if (over.length > 0) {
    console.error(`Over budget: ${over.map((size) => size.entry).join(', ')}`);
    process.exitCode = 1;
  }
}
