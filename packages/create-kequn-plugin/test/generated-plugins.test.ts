// The promise of the scaffolder: each plugin type builds and passes its own test out of the box.
// Here it is kept against this monorepo's packages — their node_modules entries are links to the
// workspace folders and their built dist (the root `pnpm test` builds first). Installing from a
// registry outside the monorepo is packages/release-check's test.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findKequnMonorepo, pluginTypes, scaffoldPlugin, templateDependencies } from '../src/index.js';
import { run } from './run.js';

const packageFolder = join(import.meta.dirname, '..');
const repoRoot = findKequnMonorepo(packageFolder);
const folder = mkdtempSync(join(tmpdir(), 'kequn-generated-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Links each dependency into the plugin's node_modules, as an install would place it. */
function linkDependencies(directory: string): void {
  if (repoRoot === undefined) throw new Error('this test runs inside the Kequn monorepo');
  for (const name of templateDependencies) {
    const target = name.startsWith('@kequn/')
      ? join(repoRoot, 'packages', name.slice('@kequn/'.length))
      : realpathSync(join(packageFolder, 'node_modules', name));
    const link = join(directory, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(target, link, 'dir');
  }
}

describe.each(pluginTypes)('a scaffolded %s plugin', (type) => {
  const directory = join(folder, `bank-${type}`);
  // Plain output: the assertions read the summary lines.
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  const tool = (name: string, ...args: string[]) => run(process.execPath, [join(directory, 'node_modules', name), ...args], { cwd: directory, env });

  it('builds with tsc', async () => {
    scaffoldPlugin({ name: `bank-${type}`, type, cwd: folder });
    linkDependencies(directory);
    const build = await tool('typescript/bin/tsc', '-p', 'tsconfig.json');
    expect(build.output).toBe('');
    expect(build.code).toBe(0);
    expect(existsSync(join(directory, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(directory, 'dist', 'index.d.ts'))).toBe(true);
    const typecheck = await tool('typescript/bin/tsc', '-p', 'tsconfig.test.json');
    expect(typecheck.output).toBe('');
    expect(typecheck.code).toBe(0);
  });

  it('exports a plugin whose id is the package name', async () => {
    const probe = await run(process.execPath, ['--input-type=module', '-e', "const plugin = (await import('./dist/index.js')).default; console.log(plugin.$$type, plugin.manifest.id)"], { cwd: directory });
    expect(probe.output.trim()).toBe(`@kequn/Plugin bank-${type}`);
  });

  it('passes its own test', async () => {
    const test = await tool('vitest/vitest.mjs', 'run', '--reporter=dot');
    expect(test.output).toMatch(/Tests\s+\d+ passed/);
    expect(test.output).not.toMatch(/failed/);
    expect(test.code).toBe(0);
  });
});
