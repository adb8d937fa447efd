// What the scaffolder writes, where, and with which versions — outside the monorepo (a bank's own
// repository) and inside it (workspace ranges, the shared tsconfig base).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findKequnMonorepo, runCreate, scaffoldPlugin, ScaffoldError } from '../src/index.js';

const folder = mkdtempSync(join(tmpdir(), 'kequn-scaffold-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const repoRoot = findKequnMonorepo(import.meta.dirname);
const coreVersion = (JSON.parse(readFileSync(join(import.meta.dirname, '../../core/package.json'), 'utf8')) as { version: string }).version;

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function fakeMonorepo(): string {
  const root = mkdtempSync(join(folder, 'mono-'));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - plugins/*\n');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'kequn-monorepo', private: true }));
  writeFileSync(join(root, 'tsconfig.base.json'), '{}');
  for (const name of ['core', 'segments', 'campaigns', 'testing']) {
    mkdirSync(join(root, 'packages', name), { recursive: true });
    writeFileSync(join(root, 'packages', name, 'package.json'), JSON.stringify({ name: `@kequn/${name}`, version: '0.4.0' }));
  }
  return root;
}

describe('scaffolding outside the monorepo', () => {
  it('writes a standalone package whose Kequn ranges are the current versions', () => {
    const result = scaffoldPlugin({ name: '@acme/kequn-plugin-payroll', type: 'segment-strategy', cwd: folder });
    expect(result).toMatchObject({ directory: join(folder, 'kequn-plugin-payroll'), pluginId: 'acme.payroll', monorepoRoot: undefined });
    expect(result.files).toEqual(['package.json', 'tsconfig.json', 'tsconfig.test.json', 'src/index.ts', 'test/kequn-plugin-payroll.test.ts', 'README.md', '.gitignore']);
    const manifest = readJson(join(result.directory, 'package.json'));
    expect(manifest).toMatchObject({
      name: '@acme/kequn-plugin-payroll',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      peerDependencies: { '@kequn/core': `^${coreVersion}`, '@kequn/segments': `^${coreVersion}`, zod: '^4.1.0' },
      devDependencies: { '@kequn/testing': `^${coreVersion}`, vitest: '~4.1.12', typescript: '~5.9.3' },
    });
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(readJson(join(result.directory, 'tsconfig.json'))).not.toHaveProperty('extends');
    expect(readFileSync(join(result.directory, 'src/index.ts'), 'utf8')).toContain("id: 'acme.payroll'");
  });

  it('takes its ranges from a published scaffolder’s package.json', () => {
    const published = join(folder, 'published.json');
    const ranges = { '@kequn/core': '^2.3.0', '@kequn/segments': '^2.3.0', '@kequn/campaigns': '^2.3.0', '@kequn/testing': '^2.3.0', zod: '^4.2.0', typescript: '~5.9.3', vitest: '~4.1.12', '@types/node': '^20.19.0' };
    writeFileSync(join(folder, 'published.json'), JSON.stringify({ name: 'create-kequn-plugin', version: '2.3.0', dependencies: ranges }));
    const result = scaffoldPlugin({ name: 'uplift', type: 'campaign-type', cwd: folder, rangesFrom: published });
    expect(readJson(join(result.directory, 'package.json'))).toMatchObject({
      peerDependencies: { '@kequn/core': '^2.3.0', '@kequn/campaigns': '^2.3.0', zod: '^4.2.0' },
      devDependencies: { '@kequn/segments': '^2.3.0', '@kequn/testing': '^2.3.0' },
    });
  });

  it('writes into an empty folder but never over an existing package', () => {
    mkdirSync(join(folder, 'empty'));
    expect(scaffoldPlugin({ name: 'file-sms', type: 'channel', cwd: folder, directory: 'empty' }).directory).toBe(join(folder, 'empty'));
    let refused: unknown;
    try {
      scaffoldPlugin({ name: 'file-sms', type: 'channel', cwd: folder, directory: 'empty' });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ScaffoldError);
    expect(refused).toMatchObject({ code: 'KQ_SCAFFOLD_TARGET_NOT_EMPTY' });
    expect(String(refused)).toContain('package.json');
  });

  it('writes nothing when the name or type is wrong', () => {
    expect(() => scaffoldPlugin({ name: 'Bad_Name', type: 'channel', cwd: folder })).toThrow('is not valid');
    expect(() => scaffoldPlugin({ name: 'good-name', type: 'widget', cwd: folder })).toThrow('Unknown plugin type "widget"');
    expect(existsSync(join(folder, 'Bad_Name'))).toBe(false);
    expect(existsSync(join(folder, 'good-name'))).toBe(false);
  });
});

describe('scaffolding inside the monorepo', () => {
  it('finds this repository as a Kequn monorepo', () => {
    expect(repoRoot).toBeDefined();
    expect(existsSync(join(repoRoot ?? '', 'pnpm-workspace.yaml'))).toBe(true);
  });

  it('uses workspace ranges, the shared tsconfig base and project references', () => {
    const root = fakeMonorepo();
    const result = scaffoldPlugin({ name: '@kequn/plugin-payroll', type: 'campaign-type', cwd: join(root, 'plugins') });
    expect(result).toMatchObject({ directory: join(root, 'plugins', 'plugin-payroll'), pluginId: 'payroll', monorepoRoot: root });
    expect(result.files).not.toContain('.gitignore');
    const manifest = readJson(join(result.directory, 'package.json'));
    expect(manifest).toMatchObject({
      exports: { '.': { '@kequn/source': './src/index.ts' } },
      peerDependencies: { '@kequn/core': 'workspace:^', '@kequn/campaigns': 'workspace:^', zod: '^4.1.0' },
      devDependencies: { '@kequn/testing': 'workspace:^', '@kequn/segments': 'workspace:^' },
      scripts: { build: 'tsc -b' },
    });
    expect(readJson(join(result.directory, 'tsconfig.json'))).toMatchObject({
      extends: '../../tsconfig.base.json',
      references: [{ path: '../../packages/core' }, { path: '../../packages/campaigns' }],
    });
  });
});

describe('the create-kequn-plugin command', () => {
  function create(args: string[]): { code: number; out: string; error: string } {
    let out = '';
    let error = '';
    const code = runCreate(args, { cwd: folder, out: (text) => (out += text), error: (text) => (error += text) });
    return { code, out, error };
  }

  it('creates the plugin and says what to run next', () => {
    const { code, out } = create(['branch-sms', '--type', 'channel']);
    expect(code).toBe(0);
    expect(out).toContain('Created branch-sms (channel, plugin id "branch-sms") in branch-sms');
    expect(out).toContain('pnpm build && pnpm test');
    expect(existsSync(join(folder, 'branch-sms', 'src', 'index.ts'))).toBe(true);
  });

  it('exits 1 with the reason on stderr for a wrong name, type or option', () => {
    expect(create(['Payroll', '-t', 'channel'])).toMatchObject({ code: 1, error: expect.stringContaining('Plugin name "Payroll" is not valid') });
    expect(create(['payroll'])).toMatchObject({ code: 1, error: expect.stringContaining('--type') });
    expect(create(['payroll', '--tipe', 'channel'])).toMatchObject({ code: 1, error: expect.stringContaining('Usage: pnpm create kequn-plugin') });
    expect(create(['one', 'two', '--type', 'channel'])).toMatchObject({ code: 1, error: expect.stringContaining('Expected one plugin name') });
    expect(create([])).toMatchObject({ code: 1, error: expect.stringContaining('Name the plugin') });
  });

  it('prints help', () => {
    expect(create(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('segment-strategy | campaign-type | channel') });
  });
});
