// pnpm bench:import — imports a million synthetic customers from CSV into SQLite and PostgreSQL and
// prints rows/s and peak memory, beside named alternatives measured in the same run:
//   SQLite:     the same import with one reading thread (`readers: 1`; by default a file this large
//               is read by two, each taking every other segment of the file);
//               the same import reading the CSV as text (`bytes: false`, one reading thread: the
//               import as it was before the byte path);
//               the same import reading in-thread (`worker: false`);
//               the same import unbatched (one upsert and one transaction per row), on a sample;
//               and a bare loop of csv-parse + one INSERT per row (no mapping, no validation)
//   PostgreSQL: psql \copy of the same CSV into a bare staging table (no mapping, no validation)
// Each measurement runs in its own process so that its peak memory is its own. Besides wall-clock
// rows/s each prints the process's CPU time per row, which other work on a shared machine cannot
// inflate, and the load average, which says how much of the machine the measurement had. Before
// each, the disk is flushed (`sync`: the last measurement's gigabytes are not still being written)
// and its speed probed (256 MB written and synced), since an import this size writes ~3 GB.
//   pnpm bench:import [-- --customers 1000000] [--folder ./.kequn/bench] [--phase NAME]
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createSyntheticBank } from '@kequn/testing';
// The built package, as a bank runs it (`pnpm bench:import` builds first): run from the sources, the
// reading threads would spend their first second compiling TypeScript.
import { exportBank, importCustomers, type ImportOptions } from '@kequn/import';

const { values } = parseArgs({
  // `pnpm bench -- --customers N` hands the `--` on; it separates nothing here.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    customers: { type: 'string', default: '1000000' },
    folder: { type: 'string', default: './.kequn/bench' },
    phase: { type: 'string' },
    sample: { type: 'string', default: '20000' },
  },
});
const customers = Number(values.customers);
const folder = resolve(values.folder);
const csvPath = join(folder, 'customers.csv');
const mappingPath = join(folder, 'customers.mapping.json');
const pgUrl = process.env['KEQUN_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Measurement {
  name: string;
  rows: number;
  seconds: number;
  /** CPU time of the process, all threads: what the machine's other work cannot inflate. */
  cpuSeconds: number;
  /** 1-minute load average at the end (2 cores here; above 2, other processes took CPU). */
  load: number;
  peakRssMb: number;
  /** RSS after each quarter of the rows: flat memory means these stay level. */
  rssByQuarterMb: number[];
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const peakRssMb = (): number => mb(process.resourceUsage().maxRSS * 1024);
const cpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const load = (): number => Math.round((loadavg()[0] ?? 0) * 10) / 10;

async function ensureCsv(): Promise<void> {
  const marker = join(folder, 'customers.count');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(customers)) return;
  const started = performance.now();
  const bank = createSyntheticBank({ seed: 42, customers });
  await exportBank(bank, folder, { onProgress: (n) => process.stderr.write(`\rexporting ${n.toLocaleString('en')} customers`) });
  writeFileSync(marker, String(customers));
  process.stderr.write(`\rexported ${customers.toLocaleString('en')} customers (${mb(statSync(csvPath).size)} MB CSV) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function quarterTracker(total: number): { rss: number[]; onRows: (read: number) => void } {
  const rss: number[] = [];
  return {
    rss,
    onRows(read) {
      while (rss.length < 4 && read >= (total * (rss.length + 1)) / 4) rss.push(mb(process.memoryUsage().rss));
    },
  };
}

/** The import into a new SQLite file with the given options (none: the defaults). */
async function importIntoSqlite(name: string, options: Partial<ImportOptions>): Promise<Measurement> {
  const { openSqliteStore } = await import('@kequn/store-sqlite');
  const path = join(folder, 'bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const store = await openSqliteStore({ path });
  const quarters = quarterTracker(customers);
  const cpu = cpuSeconds();
  const summary = await importCustomers(csvPath, { store, mapping: mappingPath, ...options, onProgress: (p) => quarters.onRows(p.read) });
  await store.close();
  quarters.onRows(customers);
  return { name, rows: summary.stored, seconds: summary.seconds, cpuSeconds: cpuSeconds() - cpu, load: load(), peakRssMb: peakRssMb(), rssByQuarterMb: quarters.rss };
}

async function importIntoPostgres(): Promise<Measurement> {
  const { openPostgresStore } = await import('@kequn/store-postgres');
  const schema = `kequn_bench_${process.pid}`;
  const store = await openPostgresStore({ url: pgUrl, schema });
  const quarters = quarterTracker(customers);
  try {
    const cpu = cpuSeconds();
    const summary = await importCustomers(csvPath, { store, mapping: mappingPath, onProgress: (p) => quarters.onRows(p.read) });
    quarters.onRows(customers);
    const name = 'kequn import → PostgreSQL (COPY; CPU is this process only, not the server)';
    return { name, rows: summary.stored, seconds: summary.seconds, cpuSeconds: cpuSeconds() - cpu, load: load(), peakRssMb: peakRssMb(), rssByQuarterMb: quarters.rss };
  } finally {
    await store.close();
    execFileSync('psql', [pgUrl, '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`]);
  }
}

/** The first `sample` rows as their own file, for the slow alternatives. */
async function sampleCsv(): Promise<{ path: string; rows: number }> {
  const rows = Math.min(Number(values.sample), customers);
  const path = join(folder, `customers-${rows}.csv`);
  if (existsSync(path)) return { path, rows };
  // The export writes no line breaks inside fields, so lines are rows.
  const lines: string[] = [];
  for await (const line of createInterface({ input: createReadStream(csvPath), crlfDelay: Infinity })) {
    lines.push(line);
    if (lines.length > rows) break;
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return { path, rows };
}

/** The header line, without reading a file too large for one string. */
function headerOf(path: string): string {
  const buffer = Buffer.alloc(8192);
  const file = openSync(path, 'r');
  try {
    const length = readSync(file, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8').replace(/^\uFEFF/, '').split('\n')[0] ?? '';
  } finally {
    closeSync(file);
  }
}

/** The same import without batching: one upsert, so one transaction, per row. */
async function unbatchedSqlite(): Promise<Measurement> {
  const { openSqliteStore } = await import('@kequn/store-sqlite');
  const sample = await sampleCsv();
  const path = join(folder, 'unbatched.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const store = await openSqliteStore({ path });
  const cpu = cpuSeconds();
  const summary = await importCustomers(sample.path, { store, mapping: mappingPath, batchSize: 1 });
  await store.close();
  const name = `the same import unbatched (one upsert per row) → SQLite, first ${sample.rows.toLocaleString('en')} rows`;
  return { name, rows: summary.stored, seconds: summary.seconds, cpuSeconds: cpuSeconds() - cpu, load: load(), peakRssMb: peakRssMb(), rssByQuarterMb: [] };
}

/** A floor: parse and INSERT each row as it is, one transaction per row, no mapping or validation. */
async function bareSqlite(): Promise<Measurement> {
  const { default: Database } = await import('better-sqlite3');
  const { parse } = await import('csv-parse');
  const sample = await sampleCsv();
  const path = join(folder, 'bare.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE customers (id TEXT PRIMARY KEY, document TEXT NOT NULL)');
  const insert = db.prepare('INSERT OR REPLACE INTO customers (id, document) VALUES (?, ?)');
  const started = performance.now();
  const cpu = cpuSeconds();
  let rows = 0;
  for await (const record of createReadStream(sample.path).pipe(parse({ bom: true, from_line: 2 }))) {
    const fields = record as string[];
    insert.run(fields[0] ?? '', JSON.stringify(fields));
    rows += 1;
  }
  db.close();
  const name = `bare csv-parse + INSERT per row, no mapping or validation → SQLite, first ${sample.rows.toLocaleString('en')} rows`;
  return { name, rows, seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSeconds() - cpu, load: load(), peakRssMb: peakRssMb(), rssByQuarterMb: [] };
}

/** psql's \copy of the raw CSV: the floor for loading these bytes into PostgreSQL at all. */
async function psqlCopy(): Promise<Measurement> {
  const columns = headerOf(csvPath).split(',').map((_, index) => `c${index} TEXT`);
  const table = `kequn_bench_copy_${process.pid}`;
  execFileSync('psql', [pgUrl, '-qc', `CREATE UNLOGGED TABLE ${table} (${columns.join(', ')})`]);
  const started = performance.now();
  try {
    execFileSync('psql', [pgUrl, '-qc', `\\copy ${table} FROM '${csvPath}' WITH (FORMAT csv, HEADER true)`]);
    const name = 'psql \\copy of the raw CSV → PostgreSQL (no mapping, no validation, no upsert)';
    return { name, rows: customers, seconds: (performance.now() - started) / 1000, cpuSeconds: 0, load: load(), peakRssMb: 0, rssByQuarterMb: [] };
  } finally {
    execFileSync('psql', [pgUrl, '-qc', `DROP TABLE IF EXISTS ${table}`]);
  }
}

const phases: Record<string, () => Promise<Measurement>> = {
  sqlite: () => importIntoSqlite('kequn import (defaults: read as bytes by 2 threads) → SQLite', {}),
  'sqlite-one-reader': () => importIntoSqlite('the same import with one reading thread (readers: 1) → SQLite', { readers: 1 }),
  'sqlite-text': () => importIntoSqlite('the same import reading the CSV as text, one reading thread (bytes: false) → SQLite', { bytes: false, readers: 1 }),
  'sqlite-in-thread': () => importIntoSqlite('the same import reading in-thread (worker: false) → SQLite', { worker: false }),
  'unbatched-sqlite': unbatchedSqlite,
  'bare-sqlite': bareSqlite,
  postgres: importIntoPostgres,
  'psql-copy': psqlCopy,
};

/** Flushes what earlier measurements wrote, then times writing and syncing 256 MB: the disk as the next measurement finds it. */
function diskProbe(): string {
  execFileSync('sync');
  const path = join(folder, 'disk-probe.bin');
  const block = Buffer.alloc(1 << 20, 7);
  const started = performance.now();
  const file = openSync(path, 'w');
  try {
    for (let written = 0; written < 256; written++) writeSync(file, block);
    fsyncSync(file);
  } finally {
    closeSync(file);
    rmSync(path, { force: true });
  }
  const rate = Math.round(256 / ((performance.now() - started) / 1000));
  execFileSync('sync');
  return `disk before it: 256 MB written and synced at ${rate.toLocaleString('en')} MB/s`;
}

function postgresReachable(): boolean {
  return spawnSync('psql', [pgUrl, '-qAtc', 'SELECT 1'], { encoding: 'utf8' }).stdout.trim() === '1';
}

function print(measurement: Measurement): void {
  const rate = Math.round(measurement.rows / measurement.seconds).toLocaleString('en');
  const memory = measurement.peakRssMb > 0 ? `, peak RSS ${measurement.peakRssMb} MB` : '';
  const quarters = measurement.rssByQuarterMb.length > 0 ? ` (RSS at 25/50/75/100%: ${measurement.rssByQuarterMb.join(' / ')} MB)` : '';
  const cpu = measurement.cpuSeconds > 0 ? `, CPU ${measurement.cpuSeconds.toFixed(1)} s = ${((measurement.cpuSeconds * 1e6) / measurement.rows).toFixed(1)} µs/row` : '';
  console.log(`${measurement.name}: ${measurement.rows.toLocaleString('en')} rows in ${measurement.seconds.toFixed(1)} s = ${rate} rows/s${cpu}${memory}${quarters}; load ${measurement.load}`);
}

async function main(): Promise<void> {
  if (values.phase !== undefined) {
    const phase = phases[values.phase];
    if (phase === undefined) throw new Error(`unknown phase ${values.phase}; expected ${Object.keys(phases).join(', ')}`);
    // A phase run on its own (for a profile) writes the CSV first if the folder lacks it.
    await ensureCsv();
    process.stdout.write(`${JSON.stringify(await phase())}\n`);
    return;
  }
  await ensureCsv();
  console.log(`${cpus().length} cores, load average ${loadavg().map((value) => value.toFixed(1)).join(' / ')} (1 / 5 / 15 min) before measuring`);
  const sqliteOnly = ['sqlite', 'sqlite-one-reader', 'sqlite-text', 'sqlite-in-thread', 'unbatched-sqlite', 'bare-sqlite'];
  const reachable = postgresReachable();
  if (!reachable) console.log(`PostgreSQL at ${pgUrl} is unreachable: measuring SQLite only.`);
  const wanted = reachable ? Object.keys(phases) : sqliteOnly;
  for (const name of wanted) {
    console.log(`  (${diskProbe()})`);
    const child = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1), '--phase', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) throw new Error(`the ${name} measurement failed`);
    print(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Measurement);
  }
}

await main();
