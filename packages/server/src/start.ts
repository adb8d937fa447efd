// Starting the server on Node: open the store (SQLite by default, PostgreSQL when given a URL),
// seed the synthetic bank into an empty store, load the model and listen.
import { serve, type ServerType } from '@hono/node-server';
import {
  createMemoryStore,
  StoreLocationError,
  type Customer,
  type CustomerEvent,
  type KequnStore,
} from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { createKequnApp, type KequnApp } from './app.js';
import { createAuthenticator, type AuthOptions } from './auth.js';
import type { ServerOptionsInput } from './options.js';
import { BankState } from './state.js';

const BATCH = 5_000;

/** `sqlite:<path>` or a `.db` path, `postgres://…`, `memory:`; the embedded ./.kequn/kequn.db by default. */
export async function openServerStore(location: string | undefined): Promise<KequnStore> {
  if (location === undefined || location === '' || location === 'sqlite:') {
    const { openSqliteStore } = await import('@kequn/store-sqlite');
    return openSqliteStore();
  }
  if (location === 'memory:') return createMemoryStore();
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { openPostgresStore } = await import('@kequn/store-postgres');
    return openPostgresStore({ url: location });
  }
  const path = location.startsWith('sqlite:') ? location.slice('sqlite:'.length) : location;
  if (location.startsWith('sqlite:') || /\.(db|sqlite3?)$/i.test(path)) {
    const { openSqliteStore } = await import('@kequn/store-sqlite');
    return openSqliteStore({ path });
  }
  throw new StoreLocationError(location);
}

/**
 * Writes the synthetic bank (branches, managers, products, customers and their past manager
 * contacts) into an empty store in one transaction; a store holding customers is left alone.
 * Returns whether it seeded.
 */
export async function seedSyntheticBank(
  store: KequnStore,
  options: {
    customers: number;
    seed?: number;
    asOf: string;
    onProgress?: (written: number) => void;
  },
): Promise<boolean> {
  if ((await store.customers.count()) > 0) return false;
  const bank = createSyntheticBank({
    customers: options.customers,
    seed: options.seed ?? 42,
    asOf: options.asOf,
  });
  await store.transaction(async (tx) => {
    await tx.branches.upsert(bank.branches);
    await tx.managers.upsert(bank.managers);
    await tx.products.upsert(bank.products);
    let customers: Customer[] = [];
    let contacts: CustomerEvent[] = [];
    let written = 0;
    for (const customer of bank.customers()) {
      customers.push(customer);
      for (const event of bank.eventsOf(customer))
        if (event.type === 'contact') contacts.push(event);
      if (customers.length < BATCH) continue;
      await tx.customers.upsert(customers);
      await tx.events.upsert(contacts);
      written += customers.length;
      options.onProgress?.(written);
      customers = [];
      contacts = [];
    }
    await tx.customers.upsert(customers);
    await tx.events.upsert(contacts);
    options.onProgress?.(written + customers.length);
  });
  return true;
}

export interface StartOptions {
  /** Store location (see openServerStore). */
  store?: string;
  /** Customers of the synthetic bank seeded into an empty store; 0 seeds nothing. */
  seedCustomers?: number;
  seed?: number;
  asOf: string;
  port?: number;
  hostname?: string;
  auth: AuthOptions;
  options?: ServerOptionsInput;
  onProgress?: (stage: 'seed' | 'load', count: number) => void;
}

export interface RunningServer {
  readonly kequn: KequnApp;
  readonly state: BankState;
  readonly url: string;
  close(): Promise<void>;
}

export async function startKequnServer(options: StartOptions): Promise<RunningServer> {
  const store = await openServerStore(options.store);
  try {
    if ((options.seedCustomers ?? 0) > 0) {
      await seedSyntheticBank(store, {
        customers: options.seedCustomers ?? 0,
        asOf: options.asOf,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        onProgress: (count) => options.onProgress?.('seed', count),
      });
    }
    const state = await BankState.open({
      store,
      asOf: options.asOf,
      onProgress: (count) => options.onProgress?.('load', count),
    });
    const kequn = createKequnApp({
      state,
      auth: await createAuthenticator(options.auth),
      ...(options.options === undefined ? {} : { options: options.options }),
      onInternalError: (error, routeId) =>
        process.stderr.write(
          `kequn: ${routeId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        ),
    });
    const hostname = options.hostname ?? '127.0.0.1';
    const server = await new Promise<{ server: ServerType; port: number }>((resolve) => {
      const listening = serve(
        { fetch: kequn.app.fetch, port: options.port ?? 8787, hostname },
        (info) => resolve({ server: listening, port: info.port }),
      );
    });
    return {
      kequn,
      state,
      url: `http://${hostname}:${server.port}`,
      async close() {
        await new Promise<void>((resolve) => server.server.close(() => resolve()));
        await state.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
