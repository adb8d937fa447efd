// Which versions a generated plugin depends on. The ranges are this package's own: pnpm rewrites
// `workspace:^` to the released versions when create-kequn-plugin is published, so a published
// scaffolder asks for the Kequn release it came with. Run from the monorepo itself, it reads the
// workspace packages' versions instead, and a plugin created inside the monorepo uses `workspace:^`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ScaffoldError } from './errors.js';

/** The packages a generated plugin may need, Kequn's and the tools its scripts run. */
export const templateDependencies = [
  '@kequn/core',
  '@kequn/segments',
  '@kequn/campaigns',
  '@kequn/testing',
  'zod',
  'typescript',
  'vitest',
  '@types/node',
] as const;
export type TemplateDependency = (typeof templateDependencies)[number];
export type DependencyRanges = Readonly<Record<TemplateDependency, string>>;

const manifestSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  dependencies: z.record(z.string(), z.string()).optional(),
  devDependencies: z.record(z.string(), z.string()).optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

function readManifest(path: string): Manifest {
  return manifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The monorepo's root package.json has a name and no version. */
const rootManifestSchema = z.looseObject({ name: z.string() });

/** The name the Kequn monorepo's root package.json carries. */
const monorepoName = 'kequn-monorepo';

/** The Kequn monorepo's root when `from` lies inside it (at any depth), else undefined. */
export function findKequnMonorepo(from: string): string | undefined {
  let folder = resolve(from);
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(join(folder, 'pnpm-workspace.yaml')) && existsSync(manifest)) {
      const parsed = rootManifestSchema.safeParse(JSON.parse(readFileSync(manifest, 'utf8')));
      if (parsed.success && parsed.data.name === monorepoName) return folder;
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

export interface WorkspacePackage {
  readonly version: string;
  /** Absolute path of the package's folder. */
  readonly folder: string;
}

/** The monorepo's packages by name, read from packages/* and plugins/*. */
export function workspacePackages(root: string): Map<string, WorkspacePackage> {
  const found = new Map<string, WorkspacePackage>();
  for (const group of ['packages', 'plugins']) {
    const folder = join(root, group);
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(path)) continue;
      const manifest = readManifest(path);
      found.set(manifest.name, { version: manifest.version, folder: join(folder, entry.name) });
    }
  }
  return found;
}

const ownManifestPath = fileURLToPath(new URL('../package.json', import.meta.url));

/**
 * The ranges for a plugin created in `target`. `scaffolder` is the package.json whose ranges are
 * used (this package's own by default; tests pass another).
 */
export function dependencyRanges(target: string, scaffolder: string = ownManifestPath): DependencyRanges {
  const own = readManifest(scaffolder);
  const declared: Record<string, string> = { ...own.devDependencies, ...own.dependencies };
  const targetMonorepo = findKequnMonorepo(target);
  let workspace: Map<string, WorkspacePackage> | undefined;
  const rangeOf = (name: TemplateDependency): string => {
    const range = declared[name];
    if (range === undefined) {
      throw new ScaffoldError('KQ_SCAFFOLD_VERSIONS_UNKNOWN', `create-kequn-plugin's package.json (${scaffolder}) does not name a version of ${name}; reinstall create-kequn-plugin.`);
    }
    if (name.startsWith('@kequn/') && targetMonorepo !== undefined) return 'workspace:^';
    if (!range.startsWith('workspace:')) return range;
    // An unpublished scaffolder, run from the monorepo's own folder: the released ranges are the
    // workspace packages' current versions.
    const root = findKequnMonorepo(dirname(scaffolder));
    workspace ??= root === undefined ? new Map<string, WorkspacePackage>() : workspacePackages(root);
    const version = workspace.get(name)?.version;
    if (version === undefined) {
      throw new ScaffoldError('KQ_SCAFFOLD_VERSIONS_UNKNOWN', `create-kequn-plugin asks for ${name}@${range} but runs outside the Kequn monorepo, so that version is unknown; install create-kequn-plugin from the registry.`);
    }
    return `^${version}`;
  };
  return {
    '@kequn/core': rangeOf('@kequn/core'),
    '@kequn/segments': rangeOf('@kequn/segments'),
    '@kequn/campaigns': rangeOf('@kequn/campaigns'),
    '@kequn/testing': rangeOf('@kequn/testing'),
    zod: rangeOf('zod'),
    typescript: rangeOf('typescript'),
    vitest: rangeOf('vitest'),
    '@types/node': rangeOf('@types/node'),
  };
}
