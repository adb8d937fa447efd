// The server side of `pnpm bench:server`, in its own process (one JS thread, like production):
// seeds the synthetic bank into SQLite once, then serves the Kequn API and, on a second port, the
// named alternative — the same masked page straight from SQL, with segment membership
// materialised in a table, without the kernel. Prints one JSON line when both listen.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { openSqliteStore } from '@kequn/store-sqlite';
import { maskName, maskPhone, type Customer } from '@kequn/core';
import { BankState, createAuthenticator, createKequnApp, seedSyntheticBank } from '../src/index.js';

const customers = Number(process.argv[2] ?? 1_000_000);
const path = `./.kequn/bench-server-${customers}.db`;
const asOf = '2026-10-31';
const segments = ['tiering:mid', 'tiering:effective', 'abcd:b', 'featured-groups:women'];

const store = await openSqliteStore({ path });
const started = performance.now();
const seeded = await seedSyntheticBank(store, {
  customers,
  asOf,
  onProgress: (written) => written % 100_000 === 0 && process.stderr.write(`seeded ${written}\n`),
});
const state = await BankState.open({
  store,
  asOf,
  onProgress: (loaded) => loaded % 200_000 === 0 && process.stderr.write(`loaded ${loaded}\n`),
});
const auth = await createAuthenticator({ devMode: true });
const kequn = createKequnApp({ state, auth, options: { rateLimit: { enabled: false } } });

const manager = [...state.managers].sort(
  (a, b) => state.rowsOfManager(b.id).length - state.rowsOfManager(a.id).length,
)[0];
if (manager === undefined) throw new Error('no managers');
const { token } = await auth.issueDevToken({
  userId: manager.id,
  role: 'manager',
  managerId: manager.id,
  branchId: manager.branchId,
});

// The alternative: membership materialised in SQL, pages by keyset straight from the customers table.
const db = new Database(path);
db.exec(
  'DROP TABLE IF EXISTS bench_members; CREATE TABLE bench_members (segment TEXT NOT NULL, manager_id TEXT NOT NULL, customer_id TEXT NOT NULL, PRIMARY KEY (segment, manager_id, customer_id)) WITHOUT ROWID',
);
const insert = db.prepare('INSERT INTO bench_members VALUES (?, ?, ?)');
const table = state.model.table;
for (const ref of segments) {
  const members = await state.segment(ref);
  if (members === undefined) throw new Error(`no segment ${ref}`);
  db.transaction(() => {
    for (const row of members) {
      const managerId = table.value(row, 'relationshipManagerId');
      if (typeof managerId === 'string') insert.run(ref, managerId, table.idAt(row));
    }
  })();
}
const page = db.prepare(
  'SELECT c.document AS document FROM bench_members m JOIN customers c ON c.id = m.customer_id WHERE m.segment = ? AND m.manager_id = ? AND m.customer_id > ? ORDER BY m.customer_id LIMIT ?',
);
const sqlApp = new Hono();
sqlApp.get('/customers', async (c) => {
  const principal = await auth.verify((c.req.header('authorization') ?? '').slice(7));
  const limit = Math.min(Number(c.req.query('limit') ?? 50), 200);
  const rows = page.all(
    c.req.query('segment') ?? '',
    principal.managerId ?? '',
    c.req.query('after') ?? '',
    limit + 1,
  ) as { document: string }[];
  const items = rows.slice(0, limit).map(({ document }) => {
    const customer = JSON.parse(document) as Customer;
    return {
      id: customer.id,
      name: maskName(customer.profile.name),
      phone: maskPhone(customer.profile.phone),
      branchId: customer.branchId,
      relationshipManagerId: customer.relationshipManagerId,
    };
  });
  return c.json({ items, nextAfter: rows.length > limit ? (items.at(-1)?.id ?? null) : null });
});

const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
  new Promise<number>((resolve) => {
    serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
const kequnPort = await listen(kequn.app.fetch);
const sqlPort = await listen(sqlApp.fetch);
process.stdout.write(
  `${JSON.stringify({ kequnPort, sqlPort, token, managerId: manager.id, book: state.rowsOfManager(manager.id).length, customers: table.liveCount, seeded, readyMs: performance.now() - started, segments })}\n`,
);

// Garbage collection while serving, printed when the bench stops this process: with a million
// customers in memory a full collection is what a tail latency is most often made of.
const collections = new Map<string, { count: number; totalMs: number; maxMs: number }>();
const kinds: Readonly<Record<number, string>> = {
  1: 'minor',
  2: 'major',
  4: 'incremental',
  8: 'weak',
};
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
    const kind = kinds[entry.detail?.kind ?? 0] ?? 'other';
    const seen = collections.get(kind) ?? { count: 0, totalMs: 0, maxMs: 0 };
    seen.count += 1;
    seen.totalMs += entry.duration;
    seen.maxMs = Math.max(seen.maxMs, entry.duration);
    collections.set(kind, seen);
  }
});
gcObserver.observe({ entryTypes: ['gc'] });
function reportCollections(): void {
  const parts = [...collections].map(
    ([kind, seen]) =>
      `${kind} ${seen.count}× total ${seen.totalMs.toFixed(0)} ms max ${seen.maxMs.toFixed(1)} ms`,
  );
  process.stderr.write(
    `server GC while serving (both APIs): ${parts.join('; ') || 'none'}; heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`,
  );
}

// KEQUN_BENCH_PROFILE=<file.cpuprofile>: profile the serving phase only (not seeding or loading);
// written when the bench stops this process. Open it in Chrome DevTools or speedscope.
const profilePath = process.env.KEQUN_BENCH_PROFILE;
if (profilePath !== undefined && profilePath !== '') {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  process.once('SIGTERM', () => {
    reportCollections();
    void session.post('Profiler.stop').then(({ profile }) => {
      writeFileSync(profilePath, JSON.stringify(profile));
      process.exit(0);
    });
  });
} else {
  process.once('SIGTERM', () => {
    reportCollections();
    process.exit(0);
  });
}
