// Every code block marked `ts runnable` in the README and docs is compiled and run here, so the
// examples a bank developer copies cannot rot.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const scratch = join(here, '.docs-examples');
const documents = ['README.md', 'docs/getting-started.md'];

function runnableBlocks(markdown: string): string[] {
  const blocks: string[] = [];
  const fence = /^```ts runnable\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match !== null; match = fence.exec(markdown)) {
    blocks.push(match[1] ?? '');
  }
  return blocks;
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(documents)('runnable examples in %s', (document) => {
  const blocks = runnableBlocks(readFileSync(join(root, document), 'utf8'));

  it('has at least one', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((code, index) => [index, code] as const))('block %i runs and prints', async (index, code) => {
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `${relative(root, document).replaceAll('/', '-')}-${index}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.flat().some((value) => typeof value === 'number' && value > 0)).toBe(true);
  });
});
