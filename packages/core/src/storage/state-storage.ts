// Plugin state backed by a store. Core's `StateStorage` is synchronous (plugins read settings while
// activating), so the values are loaded once when opened and kept in memory; every change is written
// through to the store in order, and `flush()` waits for those writes and reports the first failure.
import { KequnError } from '../kernel/errors.js';
import type { StateStorage } from '../kernel/state.js';
import type { PluginStateRepository } from './port.js';

export class StoredStateStorage implements StateStorage {
  readonly #values: Map<string, unknown>;
  readonly #repository: PluginStateRepository;
  #writes: Promise<void> = Promise.resolve();
  #failure: unknown;

  private constructor(repository: PluginStateRepository, values: Map<string, unknown>) {
    this.#repository = repository;
    this.#values = values;
  }

  /** Loads every stored value (plugin state is small by design: settings and bookmarks). */
  static async open(repository: PluginStateRepository): Promise<StoredStateStorage> {
    const entries = await repository.entries('');
    return new StoredStateStorage(repository, new Map(entries));
  }

  get(key: string): unknown {
    const value = this.#values.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  set(key: string, value: unknown): void {
    const stored = structuredClone(value);
    this.#values.set(key, stored);
    this.#enqueue(() => this.#repository.set(key, stored));
  }

  delete(key: string): void {
    this.#values.delete(key);
    this.#enqueue(() => this.#repository.delete(key));
  }

  keys(prefix: string): string[] {
    return [...this.#values.keys()].filter((key) => key.startsWith(prefix));
  }

  /** Resolves once every change so far is in the store; rejects if any write failed. */
  async flush(): Promise<void> {
    await this.#writes;
    if (this.#failure !== undefined) {
      const cause = this.#failure;
      this.#failure = undefined;
      throw new KequnError(
        'KQ_STORE_STATE_WRITE_FAILED',
        `Plugin state could not be written to the store: ${cause instanceof Error ? cause.message : String(cause)}. ` +
          'The values are still in memory; check the store and set them again.',
        { cause },
      );
    }
  }

  #enqueue(write: () => Promise<void>): void {
    this.#writes = this.#writes.then(write).catch((error: unknown) => {
      this.#failure ??= error;
    });
  }
}
