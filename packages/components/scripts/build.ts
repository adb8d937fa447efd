// Builds @kequn/components with Vite 8 library mode:
//   dist/index.js, dist/define/<tag>.js  ES modules, one entry per element and `all`, Lit external
//                                        (the portal's bundler shares one Lit between packages)
//   dist/bundle/kequn-components.js      every element with Lit inside, minified, for a plain
//                                        <script type="module"> without a bundler
//   dist/themes/*.css                    the default and dark themes
// Type declarations come from `tsc -b` (the repo build).
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The define entry points, by output name (`define/kq-tier-pyramid`). */
export async function defineEntries(): Promise<Record<string, string>> {
  const files = await readdir(join(packageRoot, 'src/define'));
  const entries: Record<string, string> = {};
  for (const file of files) {
    if (!file.endsWith('.ts') || file === 'registry.ts') continue;
    entries[`define/${file.replace(/\.ts$/, '')}`] = join(packageRoot, 'src/define', file);
  }
  return entries;
}

// echarts: the optional peer, resolved by the portal's bundler only when renderer="echarts" is used.
const external = [/^lit(\/|$)/, /^@lit\//, /^@lit-labs\//, /^@kequn\//, /^echarts(\/|$)/];

function baseConfig(outDir: string): InlineConfig {
  return {
    configFile: false,
    root: packageRoot,
    logLevel: 'warn',
    publicDir: false,
    resolve: { conditions: ['@kequn/source', 'module', 'browser', 'production'] },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
    },
  };
}

/** The modular build: one entry per element plus `all` and the index; Lit stays external. */
export async function buildModules(outDir: string): Promise<void> {
  const config = baseConfig(outDir);
  await build({
    ...config,
    build: {
      ...config.build,
      lib: {
        entry: { index: join(packageRoot, 'src/index.ts'), ...(await defineEntries()) },
        formats: ['es'],
      },
      rolldownOptions: {
        external,
        output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  });
}

/** The self-contained bundle for pages without a bundler. */
export async function buildBundle(outDir: string): Promise<void> {
  // Emptied first: its lazily loaded chunks (the ECharts adapter) are hashed, so old ones would pile up.
  await rm(join(outDir, 'bundle'), { recursive: true, force: true });
  const config = baseConfig(join(outDir, 'bundle'));
  await build({
    ...config,
    build: {
      ...config.build,
      lib: { entry: { 'kequn-components': join(packageRoot, 'src/bundle.ts') }, formats: ['es'] },
      rolldownOptions: { output: { entryFileNames: '[name].js', minify: true } },
    },
  });
}

export async function copyThemes(outDir: string): Promise<void> {
  await mkdir(join(outDir, 'themes'), { recursive: true });
  for (const theme of ['default.css', 'dark.css']) {
    await copyFile(join(packageRoot, 'src/themes', theme), join(outDir, 'themes', theme));
  }
}

export async function buildComponents(outDir = join(packageRoot, 'dist')): Promise<void> {
  await buildModules(outDir);
  await buildBundle(outDir);
  await copyThemes(outDir);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildComponents();
}
