// `pnpm start`: builds the repo, starts `kequn serve --dev` on the playground's own SQLite file
// (seeded with the synthetic bank on first run) and the playground app, prints the URL and keeps
// both running until Ctrl-C. Options: --customers, --store, --port, --api-port, --seed, --no-build.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  appOrigins,
  attributeCatalogue,
  demoBankDirectory,
  playgroundRoot,
  seedDemoCampaign,
  startPlaygroundApp,
} from './playground.js';

const repoRoot = resolve(playgroundRoot, '..');

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: process.env['KEQUN_PLAYGROUND_CUSTOMERS'] ?? '50000' },
    store: { type: 'string', default: 'sqlite:./.kequn/playground.db' },
    port: { type: 'string', default: '5173' },
    'api-port': { type: 'string', default: '8787' },
    seed: { type: 'string', default: '42' },
    'as-of': { type: 'string', default: '2026-10-31' },
    'no-build': { type: 'boolean', default: false },
  },
});

function wholeNumber(name: string, text: string): number {
  const parsed = Number(text.replaceAll('_', ''));
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a whole number, got "${text}".`);
  return parsed;
}

const customers = wholeNumber('customers', values.customers);
const appPort = wholeNumber('port', values.port);
const apiPort = wholeNumber('api-port', values['api-port']);
const seed = wholeNumber('seed', values.seed);
const asOf = values['as-of'];
const apiUrl = `http://127.0.0.1:${apiPort}`;

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: 'inherit' });
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}.`)),
    );
  });
}

/** Polls /health until the server has loaded its book, or fails when the server exits first. */
async function serverReady(server: ChildProcess): Promise<void> {
  let exited: string | undefined;
  server.once('exit', (code, signal) => {
    exited = `kequn serve exited (${signal ?? code}) before it was ready.`;
  });
  for (;;) {
    if (exited !== undefined) throw new Error(exited);
    try {
      const response = await fetch(`${apiUrl}/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet: seeding and loading the book come first.
    }
    await new Promise((wait) => setTimeout(wait, 500));
  }
}

/** Whether something already answers on the API port (then /health would not be ours). */
async function apiPortTaken(): Promise<boolean> {
  try {
    await fetch(`${apiUrl}/health`);
    return true;
  } catch {
    return false;
  }
}

if (await apiPortTaken()) {
  process.stderr.write(
    `Port ${apiPort} is already in use (another kequn serve?). Stop it or pass --api-port.\n`,
  );
  process.exit(1);
}
if (!values['no-build']) await run('pnpm', ['build']);

const directory = demoBankDirectory(seed, asOf);
const catalogue = await attributeCatalogue(asOf);
const app = await startPlaygroundApp({
  port: appPort,
  config: () => ({ apiUrl, asOf, directory, catalogue }),
});

const storePath = values.store.startsWith('sqlite:') ? values.store.slice('sqlite:'.length) : '';
if (storePath !== '' && !existsSync(resolve(repoRoot, storePath)))
  process.stdout.write(
    `Seeding the demo bank (${customers.toLocaleString('en')} customers) into ${storePath}: first run only, this takes a while…\n`,
  );

const server = spawn(
  process.execPath,
  [
    'packages/cli/dist/bin.js',
    'serve',
    '--dev',
    '--store',
    values.store,
    '--seed-customers',
    String(customers),
    '--seed',
    String(seed),
    '--as-of',
    asOf,
    '--port',
    String(apiPort),
    '--cors',
    ...appOrigins(app.port),
  ],
  { cwd: repoRoot, stdio: 'inherit' },
);

let stopping = false;
async function stop(code: number): Promise<never> {
  stopping = true;
  if (server.exitCode === null) server.kill('SIGTERM');
  await app.close();
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  await serverReady(server);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await stop(1);
}
const campaignBranch = directory.branches[0]?.id;
if (campaignBranch !== undefined) {
  try {
    if (await seedDemoCampaign(apiUrl, campaignBranch))
      process.stdout.write(
        `Started a demo campaign of ${campaignBranch} for the campaign board.\n`,
      );
  } catch (error) {
    // The portal works without it; the board is merely empty.
    process.stderr.write(
      `Could not seed the demo campaign: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
server.once('exit', (code) => {
  if (stopping) return;
  process.stderr.write(`kequn serve stopped (${code}); stopping the playground.\n`);
  void stop(1);
});
process.stdout.write(`\nKequn playground: ${app.url}\n(API ${apiUrl}; Ctrl-C stops both)\n`);
