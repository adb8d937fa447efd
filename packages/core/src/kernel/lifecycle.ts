// Disposables, after VS Code's lifecycle.ts: every registration returns something that undoes it,
// and a store collects them so a plugin's whole footprint goes away in one call.

export interface Disposable {
  dispose(): void | Promise<void>;
}

export function isDisposable(value: unknown): value is Disposable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { dispose?: unknown }).dispose === 'function'
  );
}

/** Wraps a function so that it runs at most once, however often `dispose` is called. */
export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  let disposed = false;
  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      return dispose();
    },
  };
}

export const emptyDisposable: Disposable = Object.freeze({ dispose() {} });

/**
 * A set of disposables disposed together, newest first. Adding to a disposed store disposes the
 * newcomer at once and warns: that is a leak the author wants to hear about, not a silent no-op.
 */
export class DisposableStore implements Disposable {
  readonly #items = new Set<Disposable>();
  #disposed = false;

  constructor(private readonly onLateAdd: (message: string) => void = (m) => console.warn(m)) {}

  get isDisposed(): boolean {
    return this.#disposed;
  }

  get size(): number {
    return this.#items.size;
  }

  add<T extends Disposable>(item: T): T {
    if (this.#disposed) {
      this.onLateAdd(
        'A disposable was added to a store that is already disposed; it was disposed at once. ' +
          'Register things while the plugin is active, not after deactivation.',
      );
      void Promise.resolve(item.dispose()).catch((error: unknown) => this.onLateAdd(String(error)));
      return item;
    }
    this.#items.add(item);
    return item;
  }

  /** Removes an item without disposing it (its owner took it back). */
  delete(item: Disposable): void {
    this.#items.delete(item);
  }

  /** Disposes everything, newest first; errors are collected and thrown together afterwards. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const items = [...this.#items].reverse();
    this.#items.clear();
    const errors: unknown[] = [];
    for (const item of items) {
      try {
        await item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new AggregateError(errors, `${errors.length} disposables failed to dispose`);
  }
}
