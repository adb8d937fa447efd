// `pnpm bench:server [customers=1000000] [seconds=10]`: a manager requests pages of their
// customers filtered by segment, first from the Kequn API (kernel memberships + SQLite documents),
// then from the named alternative (the same page straight from SQL with materialised membership),
// with autocannon; prints requests/s and p50/p99 latency. The server runs in a child process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const customers = process.argv[2] ?? '1000000';
const seconds = Number(process.argv[3] ?? 10);

interface Ready {
  kequnPort: number;
  sqlPort: number;
  token: string;
  managerId: string;
  book: number;
  customers: number;
  seeded: boolean;
  readyMs: number;
  segments: string[];
}

// KEQUN_BENCH_NODE_FLAGS: V8/Node flags for the server process only (e.g. --max-semi-space-size=64).
const serverFlags = (process.env.KEQUN_BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);
const child = spawn(
  process.execPath,
  [
    ...serverFlags,
    '--conditions=@kequn/source',
    '--import',
    'tsx',
    new URL('./serve.ts', import.meta.url).pathname,
    customers,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const ready = await new Promise<Ready>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  createInterface({ input: child.stdout }).once('line', (line) =>
    resolve(JSON.parse(line) as Ready),
  );
});

/**
 * CPU seconds the server process has used (user + system, all its threads), from /proc on Linux;
 * undefined elsewhere. Requests per CPU-second is what one dedicated core would serve, whatever
 * else the machine is running.
 */
function serverCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the file, 12 and 13 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function run(name: string, port: number): Promise<autocannon.Result> {
  const cpuBefore = serverCpuSeconds();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 16,
    duration: seconds,
    headers: { authorization: `Bearer ${ready.token}` },
    requests: ready.segments.map((segment) => ({
      method: 'GET',
      path: `/customers?segment=${encodeURIComponent(segment)}&limit=50`,
    })),
  });
  const ok = result['2xx'];
  const cpuAfter = serverCpuSeconds();
  const cpu =
    cpuBefore === undefined || cpuAfter === undefined || cpuAfter <= cpuBefore
      ? ''
      : `; server CPU ${(cpuAfter - cpuBefore).toFixed(1)} s = ${Math.round(ok / (cpuAfter - cpuBefore))} req per CPU-second`;
  console.log(
    `${name.padEnd(44)} ${Math.round(result.requests.average).toString().padStart(7)} req/s   p50 ${result.latency.p50.toFixed(1).padStart(6)} ms   p99 ${result.latency.p99.toFixed(1).padStart(6)} ms   (${ok} ok, ${result.non2xx} non-2xx, ${result.errors} errors${cpu})`,
  );
  return result;
}

try {
  if (serverFlags.length > 0) console.log(`server process flags: ${serverFlags.join(' ')}`);
  console.log(
    `${ready.customers} customers on SQLite (${ready.seeded ? 'seeded now' : 'reused'}, ready in ${(ready.readyMs / 1000).toFixed(1)} s); manager ${ready.managerId} with ${ready.book} customers; pages of 50 filtered by ${ready.segments.join(', ')}; 16 connections, ${seconds} s each`,
  );
  const kequn = await run('Kequn API (kernel bitsets + SQLite documents)', ready.kequnPort);
  const sql = await run('alternative: straight from SQL (materialised)', ready.sqlPort);
  console.log(
    `ratio Kequn / SQL: ${(kequn.requests.average / sql.requests.average).toFixed(2)}x req/s; target ≥ 1,000 req/s with p99 ≤ 50 ms: ${kequn.requests.average >= 1000 && kequn.latency.p99 <= 50 ? 'met' : 'not met'}`,
  );
} finally {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
