// The shape every plugin type's template has: what its code imports, the files' text, and the
// README section that explains the implementation.
import type { TemplateDependency } from '../dependencies.js';
import type { PluginName } from '../names.js';

export interface PluginTemplate {
  /** One line on what the generated plugin does, for package.json and the README. */
  readonly summary: string;
  /** Packages the plugin's source imports besides @kequn/core and zod: peer dependencies. */
  readonly uses: readonly TemplateDependency[];
  /** Packages only the test imports besides @kequn/testing and vitest. */
  readonly testUses: readonly TemplateDependency[];
  source(name: PluginName): string;
  test(name: PluginName): string;
  /** Markdown after the README's title: what the plugin does and where to change it. */
  readme(name: PluginName): string;
}
