// Checks on a package as the registry holds it (its unpacked tarball), not as the workspace has it:
// the files its package.json points at exist, its ranges were rewritten from `workspace:`, and every
// package its code imports is one it declares — what a bank's install would trip over.
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface PublishedManifest {
  name: string;
  version: string;
  private?: boolean;
  main?: string;
  types?: string;
  bin?: string | Record<string, string>;
  exports?: unknown;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The workspace-only condition: it points at TypeScript sources, which are not published. */
const sourceCondition = '@kequn/source';

function filesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every file path an `exports` value names, by the subpath and conditions that lead to it. */
function exportTargets(value: unknown, where: string): { where: string; target: string }[] {
  if (typeof value === 'string') return [{ where, target: value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => exportTargets(item, `${where}[${index}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === sourceCondition ? [] : exportTargets(inner, `${where} → ${key}`)));
}

function matchesPattern(root: string, target: string, files: readonly string[]): boolean {
  const [before = '', after = ''] = target.replace(/^\.\//, '').split('*');
  return files.some((file) => {
    const path = relative(root, file).split('\\').join('/');
    return path.startsWith(before) && path.endsWith(after) && path.length > before.length + after.length;
  });
}

/** Files named by main, types, bin and exports that the tarball lacks. */
export function missingFiles(root: string, manifest: PublishedManifest): string[] {
  const files = filesUnder(root);
  const named: { where: string; target: string }[] = [];
  if (manifest.main !== undefined) named.push({ where: 'main', target: manifest.main });
  if (manifest.types !== undefined) named.push({ where: 'types', target: manifest.types });
  if (typeof manifest.bin === 'string') named.push({ where: 'bin', target: manifest.bin });
  else for (const [command, target] of Object.entries(manifest.bin ?? {})) named.push({ where: `bin ${command}`, target });
  if (manifest.exports !== undefined) named.push(...exportTargets(manifest.exports, 'exports'));
  return named
    .filter(({ target }) => (target.includes('*') ? !matchesPattern(root, target, files) : !existsSync(join(root, target))))
    .map(({ where, target }) => `${where}: ${target}`);
}

/** Dependency ranges still written with pnpm's workspace protocol. */
export function workspaceRanges(manifest: PublishedManifest): string[] {
  const fields = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const;
  return fields.flatMap((field) =>
    Object.entries(manifest[field] ?? {})
      .filter(([, range]) => range.startsWith('workspace:'))
      .map(([name, range]) => `${field}.${name}: ${range}`),
  );
}

const builtins = new Set(builtinModules);

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || specifier.startsWith('data:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
  return builtins.has(name) ? undefined : name;
}

/**
 * Packages the published JavaScript and declaration files import without declaring them in
 * dependencies, peerDependencies or optionalDependencies. TypeScript's pre-processor finds the
 * imports, so code inside strings (the scaffolder's templates) is not mistaken for an import.
 */
export function undeclaredImports(root: string, manifest: PublishedManifest): string[] {
  const declared = new Set([manifest.name, ...Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies })]);
  const found = new Map<string, string>();
  for (const file of filesUnder(root)) {
    if (!/\.(m?js|d\.m?ts)$/.test(file)) continue;
    const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
    for (const { fileName } of imports) {
      const name = packageOf(fileName);
      if (name !== undefined && !declared.has(name) && !found.has(name)) found.set(name, relative(root, file));
    }
  }
  return [...found].map(([name, file]) => `${name} (imported by ${file})`);
}
