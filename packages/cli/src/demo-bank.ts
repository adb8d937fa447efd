// Keeps the demo's synthetic bank in a store, so that a second `kequn demo` on the same bank reads
// its customers back instead of generating them again.
import { scanAll, type Customer, type KequnStore, type StoreRepositories } from '@kequn/core';
import type { SyntheticBank } from '@kequn/testing';

const DEMO_BANK_KEY = 'demo/bank';
const BATCH = 5_000;

export interface DemoBankKey {
  seed: number;
  customers: number;
  asOf: string;
}

function sameBank(stored: unknown, key: DemoBankKey): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const candidate = stored as Partial<DemoBankKey>;
  return (
    candidate.seed === key.seed &&
    candidate.customers === key.customers &&
    candidate.asOf === key.asOf
  );
}

/** True when the store already holds exactly this synthetic bank. */
export async function holdsDemoBank(store: KequnStore, key: DemoBankKey): Promise<boolean> {
  if (!sameBank(await store.pluginState.get(DEMO_BANK_KEY), key)) return false;
  return (await store.customers.count()) === key.customers;
}

/** The stored customers, streamed in pages. */
export function storedCustomers(store: KequnStore): AsyncIterable<Customer> {
  return scanAll(store.customers, BATCH);
}

/**
 * Streams the bank's customers to the caller while writing them to the store in batches, all in
 * the caller's transaction; customers of an earlier, larger demo bank are removed.
 */
export async function* writeThrough(
  tx: StoreRepositories,
  bank: SyntheticBank,
  key: DemoBankKey,
): AsyncGenerator<Customer> {
  await tx.branches.upsert(bank.branches);
  await tx.managers.upsert(bank.managers);
  await tx.products.upsert(bank.products);
  let batch: Customer[] = [];
  let lastId: string | undefined;
  for (const customer of bank.customers()) {
    batch.push(customer);
    if (batch.length < BATCH) continue;
    await tx.customers.upsert(batch);
    lastId = batch.at(-1)?.id;
    yield* batch;
    batch = [];
  }
  if (batch.length > 0) {
    await tx.customers.upsert(batch);
    lastId = batch.at(-1)?.id;
    yield* batch;
  }
  await removeCustomersAfter(tx, lastId);
  await tx.pluginState.set(DEMO_BANK_KEY, key);
}

/** Synthetic ids are zero-padded and ordered, so a smaller bank's leftovers all sort after its last id. */
async function removeCustomersAfter(
  tx: StoreRepositories,
  lastId: string | undefined,
): Promise<void> {
  if (lastId === undefined) return;
  for (;;) {
    const stale = await tx.customers.list({ afterId: lastId, limit: BATCH });
    if (stale.length === 0) return;
    for (const customer of stale) await tx.customers.delete(customer.id);
  }
}
