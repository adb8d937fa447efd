// Writes a new plugin package: checks the name, type and folder first, so a mistake costs nothing.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dependencyRanges, findKequnMonorepo, workspacePackages } from './dependencies.js';
import { ScaffoldError } from './errors.js';
import { parsePluginName, parsePluginType, type PluginType } from './names.js';
import { campaignTypeTemplate } from './templates/campaign-type.js';
import { channelTemplate } from './templates/channel.js';
import { gitignore, packageJson, readme, tsconfig, tsconfigTest, type MonorepoPlacement, type PackageContext } from './templates/package-files.js';
import { segmentStrategyTemplate } from './templates/segment-strategy.js';
import type { PluginTemplate } from './templates/template.js';

const templates: Readonly<Record<PluginType, PluginTemplate>> = {
  'segment-strategy': segmentStrategyTemplate,
  'campaign-type': campaignTypeTemplate,
  channel: channelTemplate,
};

export interface ScaffoldOptions {
  /** npm package name, e.g. `my-segments` or `@acme/kequn-plugin-wealth`. */
  name: string;
  /** `segment-strategy`, `campaign-type` or `channel`. */
  type: string | undefined;
  /** Where to write it; `<cwd>/<name without scope>` by default. */
  directory?: string;
  /** The folder relative paths start from; the process's by default. */
  cwd?: string;
  /** The package.json whose ranges the plugin depends on; create-kequn-plugin's own by default. */
  rangesFrom?: string;
}

export interface ScaffoldResult {
  readonly directory: string;
  readonly packageName: string;
  readonly pluginId: string;
  readonly type: PluginType;
  /** Paths relative to `directory`, in the order written. */
  readonly files: readonly string[];
  /** The Kequn monorepo's root when the plugin was created inside it (and uses `workspace:^`). */
  readonly monorepoRoot: string | undefined;
}

function checkEmpty(directory: string): void {
  if (!existsSync(directory)) return;
  const entries = readdirSync(directory);
  if (entries.length === 0) return;
  throw new ScaffoldError(
    'KQ_SCAFFOLD_TARGET_NOT_EMPTY',
    `The folder ${directory} already exists and is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); choose another name or --dir.`,
    { details: { directory } },
  );
}

export function scaffoldPlugin(options: ScaffoldOptions): ScaffoldResult {
  const name = parsePluginName(options.name);
  const type = parsePluginType(options.type);
  const cwd = options.cwd ?? process.cwd();
  const directory = resolve(cwd, options.directory ?? name.baseName);
  checkEmpty(directory);
  const root = findKequnMonorepo(directory);
  const monorepo: MonorepoPlacement | undefined = root === undefined ? undefined : { root, packages: workspacePackages(root) };
  const template = templates[type];
  const context: PackageContext = {
    name,
    type,
    template,
    ranges: dependencyRanges(directory, options.rangesFrom),
    directory,
    monorepo,
  };
  const files: [string, string][] = [
    ['package.json', packageJson(context)],
    ['tsconfig.json', tsconfig(context)],
    ['tsconfig.test.json', tsconfigTest(context)],
    ['src/index.ts', template.source(name)],
    [`test/${name.baseName}.test.ts`, template.test(name)],
    ['README.md', readme(context)],
  ];
  if (monorepo === undefined) files.push(['.gitignore', gitignore]);
  for (const [path, text] of files) {
    const target = join(directory, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  return { directory, packageName: name.packageName, pluginId: name.pluginId, type, files: files.map(([path]) => path), monorepoRoot: root };
}
