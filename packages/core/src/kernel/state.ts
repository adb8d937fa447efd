// Plugin state (a memento): small JSON values a plugin keeps between runs. Each plugin sees only
// its own namespace. The storage is pluggable; the stores package backs it with the database.

export interface StateStorage {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  keys(prefix: string): string[];
}

export class MemoryStateStorage implements StateStorage {
  readonly #values = new Map<string, unknown>();

  get(key: string): unknown {
    const value = this.#values.get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  set(key: string, value: unknown): void {
    this.#values.set(key, structuredClone(value));
  }

  delete(key: string): void {
    this.#values.delete(key);
  }

  keys(prefix: string): string[] {
    return [...this.#values.keys()].filter((key) => key.startsWith(prefix));
  }
}

export interface PluginState {
  get<T = unknown>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  set(key: string, value: unknown): void;
  delete(key: string): void;
  keys(): string[];
}

export function createPluginState(storage: StateStorage, pluginId: string): PluginState {
  const prefix = `${pluginId}/`;
  function get<T>(key: string, defaultValue?: T): T | undefined {
    const value = storage.get(prefix + key);
    return value === undefined ? defaultValue : (value as T);
  }
  return Object.freeze({
    get,
    set: (key: string, value: unknown) => storage.set(prefix + key, value),
    delete: (key: string) => storage.delete(prefix + key),
    keys: () => storage.keys(prefix).map((key) => key.slice(prefix.length)),
  });
}
