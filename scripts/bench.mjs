// `pnpm bench`: runs every benchmark script in turn. Each prints its own figures and compares
// against a named alternative in the same run; nothing here asserts a time.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const benches = Object.keys(scripts).filter((name) => name.startsWith('bench:'));
let failed = 0;
for (const name of benches) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync('pnpm', ['run', '--silent', name], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed === 0 ? 0 : 1;
