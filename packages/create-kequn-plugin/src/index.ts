// The public API of create-kequn-plugin: the scaffolder the `create-kequn-plugin` command runs.
export { scaffoldPlugin, type ScaffoldOptions, type ScaffoldResult } from './scaffold.js';
export { parsePluginName, parsePluginType, pluginTypes, type PluginName, type PluginType } from './names.js';
export { dependencyRanges, findKequnMonorepo, templateDependencies, type DependencyRanges, type TemplateDependency } from './dependencies.js';
export { parseArguments, runCreate, usage, type CreateArguments } from './cli.js';
export { ScaffoldError, type ScaffoldErrorCode } from './errors.js';
