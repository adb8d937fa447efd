// Child process of exactly-once.test.ts, killed with SIGKILL part-way through a campaign:
//   node --conditions=@kequn/source --import tsx test/journey-child.ts sqlite <file> | postgres <url> <schema>
// It runs the journeys of the store's running campaigns forward and prints a line after every
// committed batch, pausing briefly so the parent's kill lands while work is still left.
import type { SqlStore } from '@kequn/core';
import { openPostgresStore } from '@kequn/store-postgres';
import { openSqliteStore } from '@kequn/store-sqlite';
import { KILL_TEST, openBank, syntheticCustomers } from './fixtures.js';

const [kind, location, schema] = process.argv.slice(2);
if (location === undefined) throw new Error('usage: journey-child.ts sqlite <file> | postgres <url> <schema>');
const store: SqlStore = kind === 'postgres' ? await openPostgresStore({ url: location, ...(schema === undefined ? {} : { schema }) }) : await openSqliteStore({ path: location });
const pause = new Int32Array(new SharedArrayBuffer(4));
let batches = 0;
const bank = await openBank({
  customers: syntheticCustomers(KILL_TEST.seed, KILL_TEST.customers),
  store,
  skipUpsert: true,
  engine: {
    batchSize: KILL_TEST.batchSize,
    onBatch: (progress) => {
      batches += 1;
      process.stdout.write(`batch ${batches} enrolments=${progress.enrolments} sent=${progress.sent}\n`);
      Atomics.wait(pause, 0, 0, 5);
    },
  },
});
await bank.engine.runUntil(KILL_TEST.until, { from: KILL_TEST.from });
process.stdout.write('finished\n');
await bank.dispose();
