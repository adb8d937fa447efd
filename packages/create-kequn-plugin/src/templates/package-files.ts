// The files every plugin type shares: package.json, the TypeScript configs, README and .gitignore.
// Inside the Kequn monorepo they follow its conventions (workspace ranges, the shared base config,
// project references); elsewhere they stand alone.
import { relative } from 'node:path';
import type { DependencyRanges, TemplateDependency, WorkspacePackage } from '../dependencies.js';
import type { PluginName, PluginType } from '../names.js';
import type { PluginTemplate } from './template.js';

/** Where the plugin sits when it is created inside the Kequn monorepo. */
export interface MonorepoPlacement {
  readonly root: string;
  readonly packages: ReadonlyMap<string, WorkspacePackage>;
}

export interface PackageContext {
  readonly name: PluginName;
  readonly type: PluginType;
  readonly template: PluginTemplate;
  readonly ranges: DependencyRanges;
  /** Absolute folder the plugin is written to. */
  readonly directory: string;
  readonly monorepo: MonorepoPlacement | undefined;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function pick(ranges: DependencyRanges, names: readonly TemplateDependency[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of [...names].sort()) picked[name] = ranges[name];
  return picked;
}

/** A folder path as tsconfig wants it: relative, with forward slashes. */
function configPath(from: string, to: string): string {
  const path = relative(from, to).split('\\').join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

export function packageJson(context: PackageContext): string {
  const { name, template, ranges, monorepo } = context;
  // What the source imports is a peer: the bank's application owns the one kernel all plugins share.
  const peers: TemplateDependency[] = ['@kequn/core', 'zod', ...template.uses];
  const development: TemplateDependency[] = [...peers, ...template.testUses, '@kequn/testing', '@types/node', 'typescript', 'vitest'];
  const entry = monorepo === undefined
    ? { types: './dist/index.d.ts', default: './dist/index.js' }
    : { types: './dist/index.d.ts', '@kequn/source': './src/index.ts', default: './dist/index.js' };
  return json({
    name: name.packageName,
    version: '0.1.0',
    description: template.summary,
    license: monorepo === undefined ? 'UNLICENSED' : 'Apache-2.0',
    type: 'module',
    sideEffects: false,
    exports: { '.': entry, './package.json': './package.json' },
    main: './dist/index.js',
    types: './dist/index.d.ts',
    files: ['dist', 'README.md'],
    engines: { node: '>=20.19' },
    keywords: ['kequn', 'kequn-plugin', context.type],
    scripts: {
      build: monorepo === undefined ? 'tsc -p tsconfig.json' : 'tsc -b',
      typecheck: 'tsc -p tsconfig.test.json',
      test: 'vitest run',
    },
    peerDependencies: pick(ranges, peers),
    devDependencies: pick(ranges, development),
  });
}

/** Compiler options of the Kequn monorepo's tsconfig.base.json, for a plugin built on its own. */
const standaloneOptions = {
  target: 'ES2022',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  esModuleInterop: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
  declaration: true,
  declarationMap: true,
  sourceMap: true,
};

export function tsconfig(context: PackageContext): string {
  const { monorepo, directory, template } = context;
  if (monorepo === undefined) {
    return json({
      compilerOptions: { ...standaloneOptions, rootDir: 'src', outDir: 'dist', types: ['node'] },
      include: ['src'],
    });
  }
  const references = ['@kequn/core', ...template.uses].flatMap((dependency) => {
    const found = monorepo.packages.get(dependency);
    return found === undefined ? [] : [{ path: configPath(directory, found.folder) }];
  });
  return json({
    extends: configPath(directory, `${monorepo.root}/tsconfig.base.json`),
    compilerOptions: { rootDir: 'src', outDir: 'dist', types: ['node'] },
    include: ['src'],
    references,
  });
}

/** Type-checks the tests too (the build compiles only src). */
export function tsconfigTest(context: PackageContext): string {
  const conditions = context.monorepo === undefined ? {} : { customConditions: ['@kequn/source'] };
  return json({
    extends: './tsconfig.json',
    compilerOptions: { noEmit: true, composite: false, declaration: false, declarationMap: false, rootDir: '.', ...conditions },
    include: ['src', 'test'],
  });
}

export function readme(context: PackageContext): string {
  const { name, template } = context;
  return `# ${name.packageName}

${template.readme(name)}

## Develop

\`\`\`sh
pnpm install
pnpm build      # tsc: dist/index.js and its types
pnpm test       # vitest: the tests in test/, on a synthetic bank from @kequn/testing
pnpm typecheck  # the source and the tests
\`\`\`

The plugin id is \`${name.pluginId}\`; its manifest (\`definePlugin\` in \`src/index.ts\`) declares what it
contributes, and \`activate\` registers the implementations. Register the plugin with
\`createKernel({ plugins: [...] })\` in the bank's application, or list it in \`kequn.config.yaml\`.
`;
}

export const gitignore = `node_modules/
dist/
*.tsbuildinfo
`;
