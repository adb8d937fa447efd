// The writing side of the crash test, run in a child process that the test kills with SIGKILL.
// It rewrites every customer inside one transaction and says on stdout how far it got:
//   mid:   prints "halfway" with half the rows written and the transaction open, then waits
//   after: prints "committed" once the transaction is committed, then waits
import type { Customer, KequnStore } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';

export const CRASH_SEED = 3;

export async function rewriteCustomersUntilKilled(store: KequnStore, mode: string | undefined, count: number): Promise<void> {
  if (mode !== 'mid' && mode !== 'after') throw new Error(`expected the mode "mid" or "after", got ${String(mode)}`);
  const bank = createSyntheticBank({ seed: CRASH_SEED, customers: count });
  // Nothing else keeps the event loop alive while the child waits for its SIGKILL.
  setInterval(() => undefined, 60_000);
  await store.transaction(async (tx) => {
    let batch: Customer[] = [];
    for (const customer of bank.customers()) {
      batch.push({ ...customer, tags: ['after'] });
      if (batch.length < 1_000) continue;
      await tx.customers.upsert(batch);
      batch = [];
      if (mode === 'mid' && (await tx.customers.count()) >= count / 2) {
        process.stdout.write('halfway\n');
        await new Promise(() => undefined);
      }
    }
    await tx.customers.upsert(batch);
  });
  process.stdout.write('committed\n');
}
