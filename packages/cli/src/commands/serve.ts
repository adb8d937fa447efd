// `kequn serve`: the HTTP API (@kequn/server) on the embedded SQLite store, or PostgreSQL with
// --pg / KEQUN_PG_URL; an empty store is seeded with the synthetic bank.
import { InvalidArgumentError, type Command } from 'commander';
import { startKequnServer, type AuthOptions } from '@kequn/server';

interface Output {
  write(text: string): void;
}

function wholeNumber(name: string) {
  return (value: string): number => {
    const parsed = Number(value.replaceAll('_', ''));
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new InvalidArgumentError(`${name} must be a whole number, got "${value}".`);
    return parsed;
  };
}

interface ServeOptions {
  store?: string;
  pg?: string | boolean;
  port: number;
  host: string;
  seedCustomers: number;
  seed: number;
  asOf: string;
  dev?: boolean;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  cors: string[];
}

function storeLocation(options: ServeOptions): string | undefined {
  if (typeof options.pg === 'string') return options.pg;
  if (options.pg === true) {
    const url = process.env.KEQUN_PG_URL;
    if (url === undefined || url === '')
      throw new InvalidArgumentError('--pg without a URL needs KEQUN_PG_URL to be set.');
    return url;
  }
  return options.store;
}

export function registerServeCommand(program: Command, output: Output = process.stdout): void {
  program
    .command('serve')
    .description('serve the Kequn HTTP API (OpenAPI at /openapi.json)')
    .option(
      '--store <location>',
      'sqlite:<path>, postgres://… or memory: (default ./.kequn/kequn.db)',
    )
    .option('--pg [url]', 'use PostgreSQL at this URL (or KEQUN_PG_URL)')
    .option('--port <n>', 'port to listen on', wholeNumber('--port'), 8787)
    .option('--host <name>', 'interface to listen on', '127.0.0.1')
    .option(
      '--seed-customers <n>',
      'seed an empty store with a synthetic bank of this size (0: never)',
      wholeNumber('--seed-customers'),
      20_000,
    )
    .option('--seed <n>', 'random seed of the synthetic bank', wholeNumber('--seed'), 42)
    .option('--as-of <date>', 'the date the book is judged on', '2026-10-31')
    .option('--dev', 'development mode: POST /auth/dev-token issues local tokens for demo roles')
    .option('--jwks-url <url>', "the bank identity provider's JWKS URL")
    .option('--issuer <iss>', 'expected token issuer')
    .option('--audience <aud>', 'expected token audience')
    .option('--cors <origin...>', 'browser origins allowed to call the API', [])
    .action(async (options: ServeOptions) => {
      const auth: AuthOptions = {
        devMode: options.dev === true,
        ...(options.jwksUrl === undefined ? {} : { jwksUrl: options.jwksUrl }),
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
        ...(options.audience === undefined ? {} : { audience: options.audience }),
      };
      if (options.jwksUrl === undefined && options.dev !== true) {
        throw new InvalidArgumentError(
          'Give --jwks-url (the bank SSO) or --dev (local demo tokens); without either nobody could sign in.',
        );
      }
      const store = storeLocation(options);
      const running = await startKequnServer({
        ...(store === undefined ? {} : { store }),
        seedCustomers: options.seedCustomers,
        seed: options.seed,
        asOf: options.asOf,
        port: options.port,
        hostname: options.host,
        auth,
        options: { cors: { origins: options.cors } },
      });
      output.write(
        `Kequn API on ${running.url} (${running.state.model.table.liveCount} customers, as of ${options.asOf})${options.dev === true ? ' — development mode: POST /auth/dev-token' : ''}\n`,
      );
      const stop = () => {
        void running.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
