// The command line: `create-kequn-plugin <name> --type <type> [--dir <folder>]`, which is what
// `pnpm create kequn-plugin …` and `npm init kequn-plugin …` run.
import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { ScaffoldError } from './errors.js';
import { pluginTypes } from './names.js';
import { scaffoldPlugin, type ScaffoldResult } from './scaffold.js';

export const usage = `Usage: pnpm create kequn-plugin <name> --type <type> [--dir <folder>]

  <name>        npm package name, e.g. my-segments or @acme/kequn-plugin-wealth
  --type, -t    what the plugin contributes: ${pluginTypes.join(' | ')}
  --dir, -d     folder to create (default: ./<name without scope>)
  --help, -h    show this help
`;

export interface CreateArguments {
  name: string | undefined;
  type: string | undefined;
  directory: string | undefined;
  help: boolean;
}

export function parseArguments(argv: readonly string[]): CreateArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        type: { type: 'string', short: 't' },
        dir: { type: 'string', short: 'd' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new ScaffoldError('KQ_SCAFFOLD_ARGUMENTS_INVALID', `${error instanceof Error ? error.message : String(error)}\n\n${usage}`, { cause: error });
  }
  const { positionals, values } = parsed;
  if (positionals.length > 1) {
    throw new ScaffoldError('KQ_SCAFFOLD_ARGUMENTS_INVALID', `Expected one plugin name, got ${positionals.length}: ${positionals.join(' ')}.\n\n${usage}`);
  }
  return { name: positionals[0], type: values.type, directory: values.dir, help: values.help };
}

function nextSteps(result: ScaffoldResult, cwd: string): string {
  const folder = relative(cwd, result.directory) || '.';
  const install = result.monorepoRoot === undefined ? 'pnpm install' : 'pnpm install   # from the monorepo root';
  const wire =
    result.monorepoRoot === undefined
      ? ''
      : `\nInside the Kequn monorepo: add { "path": "${relative(result.monorepoRoot, result.directory)}" } to tsconfig.build.json.\n`;
  return `Created ${result.packageName} (${result.type}, plugin id "${result.pluginId}") in ${folder}:
${result.files.map((file) => `  ${file}`).join('\n')}

Next:
  cd ${folder}
  ${install}
  pnpm build && pnpm test
${wire}`;
}

/** Runs the command; returns the exit code, writing the outcome to the given streams. */
export function runCreate(argv: readonly string[], io: { cwd: string; out: (text: string) => void; error: (text: string) => void }): number {
  try {
    const parsed = parseArguments(argv);
    if (parsed.help) {
      io.out(usage);
      return 0;
    }
    if (parsed.name === undefined) throw new ScaffoldError('KQ_SCAFFOLD_ARGUMENTS_INVALID', `Name the plugin.\n\n${usage}`);
    const result = scaffoldPlugin({
      name: parsed.name,
      type: parsed.type,
      cwd: io.cwd,
      ...(parsed.directory === undefined ? {} : { directory: parsed.directory }),
    });
    io.out(nextSteps(result, io.cwd));
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    io.error(`create-kequn-plugin: ${error.message}\n`);
    return 1;
  }
}
