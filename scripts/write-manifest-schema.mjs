// Writes the plugin manifest's JSON Schema next to @kequn/core, from the zod schema, after a build.
// Editors validate `kequn.plugin.json` files against it; a test checks it is up to date.
import { writeFileSync } from 'node:fs';
import { pluginManifestJsonSchema } from '../packages/core/dist/index.js';

const target = new URL('../packages/core/manifest.schema.json', import.meta.url);
const schema = {
  $id: 'https://kequn.dev/schemas/plugin-manifest.json',
  title: 'Kequn plugin manifest',
  ...pluginManifestJsonSchema(),
};
writeFileSync(target, `${JSON.stringify(schema, null, 2)}\n`);
