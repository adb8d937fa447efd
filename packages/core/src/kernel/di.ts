// Dependency injection over tsyringe, without decorator metadata: esbuild and Vite never emit
// `design:paramtypes`, so classes that rely on it break in bundles. Services here are declared with
// explicit dependency tokens and a factory, and compiled to tsyringe factory providers.
import 'reflect-metadata/lite';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { DisposableStore, isDisposable, type Disposable } from './lifecycle.js';
import { KequnError } from './errors.js';

/** A typed key for a service. Two tokens with the same name are still different tokens. */
export interface Token<T> {
  readonly key: symbol;
  readonly name: string;
  /** Phantom field: carries T for the type checker only. */
  readonly __type?: T;
}

export function createToken<T>(name: string): Token<T> {
  return Object.freeze({ key: Symbol(name), name });
}

type TokenValues<Deps extends readonly Token<unknown>[]> = {
  [K in keyof Deps]: Deps[K] extends Token<infer V> ? V : never;
};

/**
 * `kernel`: one instance for the whole kernel, disposed when the kernel is.
 * `plugin`: one instance per plugin that resolves it, disposed when that plugin deactivates.
 */
export type ServiceScope = 'kernel' | 'plugin';

export interface ServiceDefinition<
  T,
  Deps extends readonly Token<unknown>[] = readonly Token<unknown>[],
> {
  readonly $$type: '@kequn/ServiceDefinition';
  readonly token: Token<T>;
  readonly scope: ServiceScope;
  readonly deps: Deps;
  // Method syntax on purpose: it lets a definition with typed deps stand in a list of definitions.
  factory(...deps: TokenValues<Deps>): T;
}

export function defineService<T, const Deps extends readonly Token<unknown>[] = []>(options: {
  token: Token<T>;
  scope?: ServiceScope;
  deps?: Deps;
  factory: (...deps: TokenValues<Deps>) => T;
}): ServiceDefinition<T, Deps> {
  return Object.freeze({
    $$type: '@kequn/ServiceDefinition' as const,
    token: options.token,
    scope: options.scope ?? 'kernel',
    deps: (options.deps ?? []) as unknown as Deps,
    factory: options.factory,
  });
}

export interface ServiceResolver {
  resolve<T>(token: Token<T>): T;
  has(token: Token<unknown>): boolean;
}

/**
 * One DI scope: the kernel's, or a plugin's child of it. A scope owns the instances it created
 * and disposes them (newest first) when it is disposed.
 */
export class ServiceScopeContainer implements ServiceResolver, Disposable {
  readonly #container: DependencyContainer;
  readonly #owned = new DisposableStore();
  readonly #definitions: Map<symbol, ServiceDefinition<unknown>>;

  private constructor(
    container: DependencyContainer,
    definitions: Map<symbol, ServiceDefinition<unknown>>,
    private readonly owner: string,
  ) {
    this.#container = container;
    this.#definitions = definitions;
  }

  static createRoot(owner = 'kernel'): ServiceScopeContainer {
    return new ServiceScopeContainer(rootContainer.createChildContainer(), new Map(), owner);
  }

  /** A child scope (a plugin's): it sees the parent's services and re-creates plugin-scoped ones. */
  createChild(owner: string): ServiceScopeContainer {
    const child = new ServiceScopeContainer(
      this.#container.createChildContainer(),
      new Map(this.#definitions),
      owner,
    );
    for (const definition of this.#definitions.values()) {
      if (definition.scope === 'plugin') child.#bind(definition);
    }
    return child;
  }

  register<T>(definition: ServiceDefinition<T, readonly Token<unknown>[]>): void {
    if (this.#container.isRegistered(definition.token.key, false)) {
      throw new KequnError(
        'KQ_SERVICE_DUPLICATE',
        `Service "${definition.token.name}" is already registered in ${this.owner}. ` +
          'Register each service once, or give the second one its own token.',
      );
    }
    this.#definitions.set(definition.token.key, definition as ServiceDefinition<unknown>);
    this.#bind(definition as ServiceDefinition<unknown>);
  }

  /** Registers a ready-made value under a token (owned by the caller, not disposed by the scope). */
  registerValue<T>(token: Token<T>, value: T): void {
    this.#container.register(token.key, { useValue: value });
  }

  resolve<T>(token: Token<T>): T {
    if (!this.#container.isRegistered(token.key, true)) {
      throw new KequnError(
        'KQ_SERVICE_UNKNOWN',
        `No service is registered for "${token.name}" (resolving in ${this.owner}). ` +
          'Register it with defineService(...) in the kernel options or a plugin that the caller depends on.',
      );
    }
    return this.#container.resolve<T>(token.key);
  }

  has(token: Token<unknown>): boolean {
    return this.#container.isRegistered(token.key, true);
  }

  async dispose(): Promise<void> {
    await this.#owned.dispose();
  }

  #bind(definition: ServiceDefinition<unknown>): void {
    let instance: { value: unknown } | undefined;
    this.#container.register(definition.token.key, {
      useFactory: () => {
        if (instance) return instance.value;
        // Dependencies resolve in the scope that owns the instance, never the requester's.
        const deps = definition.deps.map((dep) => this.#container.resolve(dep.key));
        const value = (definition.factory as (...args: unknown[]) => unknown)(...deps);
        instance = { value };
        if (isDisposable(value)) this.#owned.add(value);
        return value;
      },
    });
  }
}
