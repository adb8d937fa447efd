// `pnpm clean`: removes build output (dist folders and TypeScript build info) from every package.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
for (const group of ['packages', 'plugins']) {
  for (const name of readdirSync(join(root, group))) {
    const folder = join(root, group, name);
    rmSync(join(folder, 'dist'), { recursive: true, force: true });
    rmSync(join(folder, 'tsconfig.tsbuildinfo'), { force: true });
  }
}
