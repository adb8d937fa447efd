// The release test: every public package is published to a local registry, then a fresh project
// outside the monorepo installs @kequn/core, @kequn/components, @kequn/plugin-tiering and
// @kequn/testing from it with npm and runs them, and create-kequn-plugin scaffolds a plugin there
// that installs, builds and passes its test. Broken exports, missing files and undeclared
// dependencies fail here, not in a bank's build.
// Needs the built packages (`pnpm test` builds first) and the upstream npm registry for third-party
// packages. KEQUN_SKIP_RELEASE_TEST=1 skips it, unless KEQUN_REQUIRE_SERVICES=1 (CI) demands it.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingFiles, undeclaredImports, workspaceRanges, type PublishedManifest } from './published-package.js';
import { startLocalRegistry, type LocalRegistry } from './registry.js';
import { run } from './run.js';
import { smokeScript, type SmokeReport } from './smoke.js';

const repoRoot = join(import.meta.dirname, '../../..');
const required = process.env['KEQUN_REQUIRE_SERVICES'] === '1';
const skipped = process.env['KEQUN_SKIP_RELEASE_TEST'] === '1' && !required;
const upstream = process.env['npm_config_registry'] ?? 'https://registry.npmjs.org/';
/** npm's cache survives runs (inside node_modules, so never committed): upstream tarballs are fetched once. */
const npmCache = join(repoRoot, 'node_modules', '.cache', 'kequn-release-npm');

interface PackedTarball {
  name: string;
  version: string;
  filename: string;
}

interface PublishedPackage {
  manifest: PublishedManifest;
  /** The unpacked tarball's package/ folder. */
  root: string;
  tarball: string;
}

interface Packument {
  versions?: Record<string, { dist?: { tarball?: string } }>;
}

describe.skipIf(skipped)('releasing to a registry', () => {
  let folder = '';
  let registry: LocalRegistry | undefined;
  let env: NodeJS.ProcessEnv = {};
  const published: PublishedPackage[] = [];

  const registryOf = (): LocalRegistry => {
    if (registry === undefined) throw new Error('the local registry did not start');
    return registry;
  };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'kequn-release-'));
    registry = await startLocalRegistry(join(folder, 'registry'), upstream);
    const host = registry.url.replace(/^http:/, '');
    const npmrc = join(folder, 'npmrc');
    writeFileSync(npmrc, `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`);
    // The children see this registry only: no npm or pnpm settings leak in from the caller.
    env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key)));
    Object.assign(env, {
      npm_config_userconfig: npmrc,
      npm_config_registry: registry.url,
      npm_config_cache: npmCache,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'warn',
      NO_COLOR: '1',
    });
  }, 60_000);

  afterAll(async () => {
    await registry?.close();
    if (folder !== '') rmSync(folder, { recursive: true, force: true });
  });

  it('packs and publishes every public workspace package', async () => {
    const tarballs = join(folder, 'tarballs');
    const pack = await run('pnpm', ['--recursive', 'pack', '--pack-destination', tarballs, '--json'], { cwd: repoRoot, env });
    expect(pack.code, pack.output).toBe(0);
    for (const { filename } of JSON.parse(pack.stdout) as PackedTarball[]) {
      const unpacked = join(tarballs, basename(filename, '.tgz'));
      mkdirSync(unpacked);
      const untar = await run('tar', ['-xzf', filename, '-C', unpacked], { cwd: tarballs });
      expect(untar.code, untar.output).toBe(0);
      const root = join(unpacked, 'package');
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PublishedManifest;
      if (manifest.private !== true) published.push({ manifest, root, tarball: filename });
    }
    const names = published.map(({ manifest }) => manifest.name);
    expect(names).toEqual(expect.arrayContaining(['@kequn/core', '@kequn/components', '@kequn/plugin-tiering', '@kequn/testing', 'create-kequn-plugin']));
    expect(names).not.toContain('@kequn/release-check');

    const local = registryOf();
    await Promise.all(published.map(({ tarball, manifest }) => local.publish(tarball, manifest)));
    const missing: string[] = [];
    for (const { manifest } of published) {
      const packument = (await (await fetch(new URL(manifest.name.replace('/', '%2f'), local.url))).json()) as Packument;
      if (packument.versions?.[manifest.version] === undefined) missing.push(`${manifest.name}@${manifest.version}`);
    }
    expect(missing).toEqual([]);
  }, 180_000);

  it('publishes packages whose files exist, ranges are real versions and imports are declared', () => {
    const names = new Set(published.map(({ manifest }) => manifest.name));
    expect(names.size).toBeGreaterThan(0);
    const problems = published.flatMap(({ manifest, root }) => {
      const kequnDependencies = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((name) => name.startsWith('@kequn/') || name === 'create-kequn-plugin');
      return [
        ...missingFiles(root, manifest).map((problem) => `${manifest.name}: missing file, ${problem}`),
        ...workspaceRanges(manifest).map((problem) => `${manifest.name}: unpublishable range, ${problem}`),
        ...undeclaredImports(root, manifest).map((problem) => `${manifest.name}: undeclared dependency ${problem}`),
        ...kequnDependencies.filter((name) => !names.has(name)).map((name) => `${manifest.name}: depends on ${name}, which is not published`),
        ...(existsSync(join(root, 'README.md')) ? [] : [`${manifest.name}: no README.md`]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('installs core, components, a plugin and the test kit in a fresh project and runs them', async () => {
    const project = join(folder, 'bank-app');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'bank-app', private: true, type: 'module' }));
    const install = await run('npm', ['install', '@kequn/core', '@kequn/components', '@kequn/plugin-tiering', '@kequn/testing'], { cwd: project, env });
    expect(install.code, install.output).toBe(0);
    writeFileSync(join(project, 'smoke.mjs'), smokeScript);
    const smoke = await run(process.execPath, ['smoke.mjs'], { cwd: project, env });
    expect(smoke.code, smoke.output).toBe(0);
    const report = JSON.parse(smoke.output.trim().split('\n').at(-1) ?? '{}') as SmokeReport;
    expect(report.customers).toBe(400);
    expect(report.errors).toBe(0);
    // Tiers are exclusive and cover every customer.
    expect(Object.values(report.tiers).reduce((sum, size) => sum + size, 0)).toBe(400);
    expect(Object.keys(report.tiers)).toEqual(['potential', 'effective', 'mid', 'high_end', 'private']);
    expect(report.elements.length).toBeGreaterThan(0);
    expect(Object.entries(report.components).filter(([, exists]) => !exists)).toEqual([]);
  }, 300_000);

  it('scaffolds a plugin with create-kequn-plugin that installs, builds and passes its test', async () => {
    const workspace = join(folder, 'bank-plugins');
    mkdirSync(workspace);
    const create = await run('npm', ['exec', '--yes', '--package', 'create-kequn-plugin', '--', 'create-kequn-plugin', '@acme/kequn-plugin-payroll', '--type', 'segment-strategy'], { cwd: workspace, env });
    expect(create.code, create.output).toBe(0);
    const plugin = join(workspace, 'kequn-plugin-payroll');
    const manifest = JSON.parse(readFileSync(join(plugin, 'package.json'), 'utf8')) as PublishedManifest;
    const core = published.find((entry) => entry.manifest.name === '@kequn/core');
    expect(manifest.peerDependencies?.['@kequn/core']).toBe(`^${core?.manifest.version ?? ''}`);
    // The test's types are checked in the monorepo (packages/create-kequn-plugin); here it is the
    // install from a registry that is new, so build and test suffice.
    for (const step of [['install'], ['run', 'build'], ['test']]) {
      const result = await run('npm', step, { cwd: plugin, env });
      expect(result.code, `npm ${step.join(' ')}\n${result.output}`).toBe(0);
    }
  }, 400_000);
});
