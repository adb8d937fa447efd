// Every TypeScript sample in the README and the documentation site is type-checked here, and every one
// marked `runnable` is also run, so the examples a bank developer copies cannot rot.
//
// A fence's info string says what a sample is:
//   ```ts runnable       complete program: type-checked, then run with Node; it must exit 0 and print
//   ```ts compile-only   complete program that needs a service (PostgreSQL, Redis, a browser): type-checked
//   ```ts fragment       an excerpt (a signature, one option object): shown, not compiled
// A TypeScript fence without one of these words fails the test, so nobody adds an unchecked sample by
// accident. Samples are written to docs/.samples/run-<pid>, inside the docs workspace package, so their imports
// resolve exactly as in a bank's project that depends on the packages.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = join(root, 'docs');
// One folder per run: two runs at once (a developer's and a CI job's) must not delete each other's files.
const scratch = join(docs, '.samples', `run-${process.pid}`);

type SampleMode = 'runnable' | 'compile-only' | 'fragment';
interface Sample {
  readonly document: string;
  readonly line: number;
  readonly mode: SampleMode | undefined;
  readonly file: string;
  readonly code: string;
}

const sampleModes: readonly SampleMode[] = ['runnable', 'compile-only', 'fragment'];
const typeScriptLanguages = new Set(['ts', 'tsx', 'typescript']);
// Generated, installed or built trees are not documentation sources.
const skippedFolders = new Set(['api', 'node_modules', '.vitepress', '.samples', 'public']);

function markdownFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) {
      if (!skippedFolders.has(entry)) found.push(...markdownFiles(path));
    } else if (entry.endsWith('.md')) {
      found.push(path);
    }
  }
  return found.sort();
}

function samplesOf(path: string): Sample[] {
  const document = relative(root, path);
  const markdown = readFileSync(path, 'utf8');
  const samples: Sample[] = [];
  const fence = /^```(\S+)([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match !== null; match = fence.exec(markdown)) {
    const language = match[1] ?? '';
    if (!typeScriptLanguages.has(language)) continue;
    const words = (match[2] ?? '').trim().split(/\s+/);
    const mode = sampleModes.find((candidate) => words.includes(candidate));
    const line = markdown.slice(0, match.index).split('\n').length;
    const extension = language === 'tsx' ? 'tsx' : 'ts';
    const file = `${document.replace(/\.md$/, '').replaceAll('/', '_')}.L${line}.${extension}`;
    samples.push({ document, line, mode, file, code: match[3] ?? '' });
  }
  return samples;
}

const documents = [join(root, 'README.md'), ...markdownFiles(docs)];
const samples = documents.flatMap(samplesOf);
const compiled = samples.filter(
  (sample) => sample.mode === 'runnable' || sample.mode === 'compile-only',
);
const runnable = samples.filter((sample) => sample.mode === 'runnable');

// The samples are type-checked as a bank's strict project would be, against the packages' sources.
const samplesTsconfig = {
  extends: '../../../tsconfig.base.json',
  compilerOptions: {
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    customConditions: ['@kequn/source'],
    types: ['node'],
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    jsx: 'react-jsx',
    useDefineForClassFields: false,
  },
  include: ['*.ts', '*.tsx'],
};

let diagnostics = '';

interface Outcome {
  readonly stdout: string;
  /** The exit code, signal or timeout, with what the sample wrote to stderr. */
  readonly failure?: string;
}
const outcomes = new Map<string, Promise<Outcome>>();
// Each sample is its own Node process, as a bank developer would run it; two at a time keeps the
// file fast without starving the other test files on a small CI machine.
const parallelRuns = 2;

function runSample(sample: Sample): Promise<Outcome> {
  return run(
    process.execPath,
    ['--conditions=@kequn/source', '--import', 'tsx', join(scratch, sample.file)],
    {
      cwd: root,
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    },
  ).then(
    ({ stdout }) => ({ stdout }),
    (error: {
      code?: unknown;
      signal?: unknown;
      killed?: boolean;
      stdout?: string;
      stderr?: string;
    }) => ({
      stdout: error.stdout ?? '',
      failure: `exit ${String(error.code)} signal ${String(error.signal)}${error.killed === true ? ' (timed out)' : ''}\n${error.stderr ?? ''}`,
    }),
  );
}

function startRuns(): void {
  const queue = [...runnable];
  const settle = new Map<string, (outcome: Outcome) => void>();
  for (const sample of runnable) {
    outcomes.set(sample.file, new Promise((resolve) => settle.set(sample.file, resolve)));
  }
  const worker = async (): Promise<void> => {
    for (let sample = queue.shift(); sample !== undefined; sample = queue.shift()) {
      const outcome = await runSample(sample);
      settle.get(sample.file)?.(outcome);
    }
  };
  for (let index = 0; index < parallelRuns; index += 1) void worker();
}

beforeAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'tsconfig.json'), `${JSON.stringify(samplesTsconfig, null, 2)}\n`);
  for (const sample of compiled) {
    // A sample without imports would be a script sharing one global scope with the others.
    writeFileSync(join(scratch, sample.file), `${sample.code}\nexport {};\n`);
  }
  startRuns();
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  diagnostics = await run(
    process.execPath,
    [tsc, '-p', join(scratch, 'tsconfig.json'), '--pretty', 'false'],
    {
      cwd: scratch,
      maxBuffer: 16 * 1024 * 1024,
    },
  ).then(
    () => '',
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
});

afterAll(async () => {
  await Promise.all(outcomes.values());
  rmSync(scratch, { recursive: true, force: true });
});

describe('documentation samples', () => {
  it('are found in the README and the site, and most of them run', () => {
    expect(documents.map((path) => relative(root, path))).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/getting-started.md',
        'docs/zh/getting-started.md',
      ]),
    );
    expect(runnable.length).toBeGreaterThanOrEqual(10);
  });

  it('are each marked runnable, compile-only or fragment', () => {
    const unmarked = samples
      .filter((sample) => sample.mode === undefined)
      .map((s) => `${s.document}:${s.line}`);
    expect(unmarked).toEqual([]);
  });

  it.each(compiled.map((sample) => [`${sample.document}:${sample.line}`, sample] as const))(
    '%s type-checks',
    (_where, sample) => {
      const own = diagnostics.split('\n').filter((line) => line.includes(sample.file));
      expect(own).toEqual([]);
    },
  );

  it('leave no type error outside their own files', () => {
    const elsewhere = diagnostics
      .split('\n')
      .filter(
        (line) =>
          /error TS\d+/.test(line) && !compiled.some((sample) => line.includes(sample.file)),
      );
    expect(elsewhere).toEqual([]);
  });

  it.each(runnable.map((sample) => [`${sample.document}:${sample.line}`, sample] as const))(
    '%s runs, exits 0 and prints',
    async (_where, sample) => {
      const outcome = await outcomes.get(sample.file);
      expect(outcome?.failure).toBeUndefined();
      expect(outcome?.stdout.trim().length).toBeGreaterThan(0);
    },
  );
});
