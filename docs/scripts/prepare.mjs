// Before the site is built or served: copy the plugin manifest's JSON Schema (written by `pnpm build`)
// into public/, so the schema page can show it and the site serves it at /manifest.schema.json.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const schema = new URL('../../packages/core/manifest.schema.json', import.meta.url);
if (!existsSync(schema)) {
  process.stderr.write(
    'packages/core/manifest.schema.json is missing: run `pnpm build` at the repository root first.\n',
  );
  process.exit(1);
}
mkdirSync(new URL('../public/', import.meta.url), { recursive: true });
copyFileSync(schema, new URL('../public/manifest.schema.json', import.meta.url));
