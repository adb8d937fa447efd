// What a plugin is called: the npm package name the developer typed, and what follows from it — the
// folder, the plugin id in the manifest, and the identifiers in the generated code.
import { pluginIdSchema } from '@kequn/core';
import { ScaffoldError } from './errors.js';

export const pluginTypes = ['segment-strategy', 'campaign-type', 'channel'] as const;
export type PluginType = (typeof pluginTypes)[number];

export interface PluginName {
  /** The npm package name, e.g. `@acme/kequn-plugin-wealth` or `my-segments`. */
  readonly packageName: string;
  /** The name without its scope: the default folder. */
  readonly baseName: string;
  /** The manifest id: the base name without a `kequn-plugin-`/`plugin-` prefix, namespaced by the scope. */
  readonly pluginId: string;
  /** `mySegments`: the stem of the generated identifiers (`mySegmentsPlugin`). */
  readonly identifier: string;
  /** `MySegments`: the stem of generated function names (`createMySegmentsStrategy`). */
  readonly typeName: string;
  /** `MY_SEGMENTS`: the stem of generated constants (`MY_SEGMENTS_STRATEGY`). */
  readonly constant: string;
}

const segmentPattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const scopedPattern = /^@([^/]+)\/(.+)$/;
const example = 'e.g. "my-segments" or "@acme/kequn-plugin-wealth"';

/** npm's limit on a package name's length. */
const maxPackageNameLength = 214;

function invalidName(name: string, why: string): ScaffoldError {
  return new ScaffoldError('KQ_SCAFFOLD_NAME_INVALID', `Plugin name "${name}" is not valid: ${why} (${example}).`, { details: { name } });
}

function stripPrefix(baseName: string): string {
  for (const prefix of ['kequn-plugin-', 'plugin-']) {
    if (baseName.startsWith(prefix) && baseName.length > prefix.length) return baseName.slice(prefix.length);
  }
  return baseName;
}

function camelCase(text: string): string {
  return text.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** Checks the name the developer typed and derives the package, folder, plugin id and identifiers. */
export function parsePluginName(name: string): PluginName {
  if (name.length === 0) throw invalidName(name, 'it is empty');
  if (name.length > maxPackageNameLength) throw invalidName(name, `npm package names are at most ${maxPackageNameLength} characters`);
  const scoped = scopedPattern.exec(name);
  const scope = scoped?.[1];
  const baseName = scoped?.[2] ?? name;
  if (scope !== undefined && !segmentPattern.test(scope)) {
    throw invalidName(name, `the scope "@${scope}" must be lower-case letters, digits and single hyphens, starting with a letter`);
  }
  if (!segmentPattern.test(baseName)) {
    throw invalidName(name, `"${baseName}" must be lower-case letters, digits and single hyphens, starting with a letter`);
  }
  const localId = stripPrefix(baseName);
  // The kequn scope is ours: `@kequn/plugin-x` is plugin `x`; a bank's scope namespaces its plugins.
  const pluginId = scope === undefined || scope === 'kequn' ? localId : `${scope}.${localId}`;
  const checked = pluginIdSchema.safeParse(pluginId);
  if (!checked.success) throw invalidName(name, `the plugin id "${pluginId}" derived from it is not valid`);
  const identifier = camelCase(localId);
  return {
    packageName: name,
    baseName,
    pluginId,
    identifier,
    typeName: identifier.charAt(0).toUpperCase() + identifier.slice(1),
    constant: localId.replaceAll('-', '_').toUpperCase(),
  };
}

function isPluginType(type: string): type is PluginType {
  return (pluginTypes as readonly string[]).includes(type);
}

/** Checks `--type`, suggesting the type the developer probably meant. */
export function parsePluginType(type: string | undefined): PluginType {
  const choices = pluginTypes.join(', ');
  if (type === undefined || type.length === 0) {
    throw new ScaffoldError('KQ_SCAFFOLD_TYPE_UNKNOWN', `Choose what the plugin contributes with --type: one of ${choices} (e.g. --type segment-strategy).`);
  }
  if (isPluginType(type)) return type;
  const near = pluginTypes.find((candidate) => candidate.startsWith(type.toLowerCase()) || type.toLowerCase().startsWith(candidate.split('-')[0] ?? candidate));
  const hint = near === undefined ? '' : ` Did you mean --type ${near}?`;
  throw new ScaffoldError('KQ_SCAFFOLD_TYPE_UNKNOWN', `Unknown plugin type "${type}": choose one of ${choices}.${hint}`, { details: { type } });
}
