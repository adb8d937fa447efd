// The registry of what plugins contribute: declarations are known from manifests at registration
// (so a UI can list them without activating anything); implementations arrive when the owning
// plugin activates. Access through `Contributions` activates lazily and tags errors.
import type { z } from 'zod';
import type { ContributionDeclaration, ContributionPoint } from './contribution-point.js';
import { KequnError, describeError } from './errors.js';
import { toDisposable, type Disposable } from './lifecycle.js';
import { formatZodIssues } from './manifest.js';

export interface ContributionEntry<D = ContributionDeclaration, I = unknown> {
  readonly pluginId: string;
  readonly declaration: D;
  implementation: I | undefined;
}

export type HookMode = 'first' | 'sequential' | 'parallel';

/** What the kernel gives the registry so it can activate plugins on demand. */
export interface ActivationHost {
  activateByEvent(event: string): Promise<void>;
  isFailed(pluginId: string): boolean;
  failureOf(pluginId: string): Error | undefined;
}

export class ContributionRegistry {
  readonly #points = new Map<string, ContributionPoint>();
  readonly #entries = new Map<string, Map<string, ContributionEntry>>();
  /** Declarations made under a point whose owner has not registered yet. */
  readonly #pending = new Map<string, { pluginId: string; raw: unknown[] }[]>();

  addPoint(point: ContributionPoint, ownerId: string): Disposable {
    const existing = this.#points.get(point.id);
    if (existing !== undefined && existing !== point) {
      throw new KequnError(
        'KQ_CONTRIBUTION_DUPLICATE',
        `Plugin "${ownerId}" defines contribution point "${point.id}", which already exists. Namespace plugin-owned points, e.g. "acme.${point.id}".`,
        { pluginId: ownerId },
      );
    }
    this.#points.set(point.id, point);
    if (!this.#entries.has(point.id)) this.#entries.set(point.id, new Map());
    return toDisposable(() => {
      this.#points.delete(point.id);
    });
  }

  point(pointId: string): ContributionPoint | undefined {
    return this.#points.get(pointId);
  }

  /** Validates and records a plugin's declarations; throws naming plugin, point and field. */
  declare(pluginId: string, pointId: string, raw: readonly unknown[]): Disposable {
    const point = this.#points.get(pointId);
    if (point === undefined) {
      const pending = this.#pending.get(pointId) ?? [];
      const item = { pluginId, raw: [...raw] };
      pending.push(item);
      this.#pending.set(pointId, pending);
      return toDisposable(() => {
        const list = this.#pending.get(pointId);
        if (list)
          this.#pending.set(
            pointId,
            list.filter((entry) => entry !== item),
          );
      });
    }
    const entries = this.#entriesOf(pointId);
    const added: string[] = [];
    for (const [index, declarationInput] of raw.entries()) {
      const declaration = this.#parseDeclaration(point, pluginId, index, declarationInput);
      const clash = entries.get(declaration.id);
      if (clash !== undefined) {
        for (const id of added) entries.delete(id);
        throw new KequnError(
          'KQ_CONTRIBUTION_DUPLICATE',
          `Plugin "${pluginId}" contributes ${pointId} "${declaration.id}", which plugin "${clash.pluginId}" already contributes. Rename one of them.`,
          { pluginId, contributionId: declaration.id },
        );
      }
      entries.set(declaration.id, { pluginId, declaration, implementation: undefined });
      added.push(declaration.id);
    }
    return toDisposable(() => {
      for (const id of added) entries.delete(id);
    });
  }

  /** Declarations waiting for a point that has now arrived. */
  takePending(pointId: string): { pluginId: string; raw: unknown[] }[] {
    const pending = this.#pending.get(pointId) ?? [];
    this.#pending.delete(pointId);
    return pending;
  }

  implement(pluginId: string, pointId: string, id: string, implementation: unknown): Disposable {
    const point = this.#points.get(pointId);
    if (point === undefined) {
      throw new KequnError(
        'KQ_CONTRIBUTION_POINT_UNKNOWN',
        `Plugin "${pluginId}" registers into contribution point "${pointId}", which no registered plugin defines.`,
        { pluginId, contributionId: id },
      );
    }
    const entry = this.#entriesOf(pointId).get(id);
    if (entry === undefined || entry.pluginId !== pluginId) {
      throw new KequnError(
        'KQ_CONTRIBUTION_UNDECLARED',
        `Plugin "${pluginId}" registers ${pointId} "${id}" but its manifest does not declare it. Add { id: "${id}", … } to contributes.${pointId}.`,
        { pluginId, contributionId: id },
      );
    }
    if (entry.implementation !== undefined) {
      throw new KequnError(
        'KQ_CONTRIBUTION_DUPLICATE',
        `Plugin "${pluginId}" registers ${pointId} "${id}" twice. Dispose the first registration before registering again.`,
        { pluginId, contributionId: id },
      );
    }
    const problem = point.checkImplementation(implementation, entry.declaration);
    if (problem !== undefined) {
      throw new KequnError(
        'KQ_CONTRIBUTION_UNDECLARED',
        `Plugin "${pluginId}" registers ${pointId} "${id}", but ${problem}.`,
        { pluginId, contributionId: id },
      );
    }
    entry.implementation = implementation;
    return toDisposable(() => {
      if (entry.implementation === implementation) entry.implementation = undefined;
    });
  }

  entries(pointId: string): ContributionEntry[] {
    return [...this.#entriesOf(pointId).values()];
  }

  entry(pointId: string, id: string): ContributionEntry | undefined {
    return this.#entriesOf(pointId).get(id);
  }

  #entriesOf(pointId: string): Map<string, ContributionEntry> {
    let entries = this.#entries.get(pointId);
    if (entries === undefined) {
      entries = new Map();
      this.#entries.set(pointId, entries);
    }
    return entries;
  }

  #parseDeclaration(
    point: ContributionPoint,
    pluginId: string,
    index: number,
    input: unknown,
  ): ContributionDeclaration {
    const result = (point.declaration as z.ZodType<ContributionDeclaration>).safeParse(input);
    if (result.success) return result.data;
    throw new KequnError(
      'KQ_MANIFEST_INVALID',
      `Plugin "${pluginId}" has an invalid contributes.${point.id}[${index}]: ${formatZodIssues(result.error)}.`,
      { pluginId },
    );
  }
}

/** Lazy, typed access to one contribution point's contributions. */
export class Contributions<D extends ContributionDeclaration, I> {
  constructor(
    private readonly point: ContributionPoint<D, I>,
    private readonly registry: ContributionRegistry,
    private readonly host: ActivationHost,
  ) {}

  /** Declarations from every registered plugin; activates nothing. */
  list(): Array<{ pluginId: string; declaration: D; active: boolean }> {
    return this.registry.entries(this.point.id).map((entry) => ({
      pluginId: entry.pluginId,
      declaration: entry.declaration as D,
      active: entry.implementation !== undefined,
    }));
  }

  has(id: string): boolean {
    return this.registry.entry(this.point.id, id) !== undefined;
  }

  declaration(id: string): D {
    return this.#entry(id).declaration as D;
  }

  /** The implementation of one contribution, activating its plugin first if needed. */
  async get(id: string): Promise<I> {
    const entry = this.#entry(id);
    if (entry.implementation === undefined) {
      await this.host.activateByEvent(`${this.point.activationEvent}:${id}`);
    }
    const failure = this.host.failureOf(entry.pluginId);
    if (failure !== undefined) throw failure;
    if (entry.implementation === undefined) {
      throw new KequnError(
        'KQ_CONTRIBUTION_NOT_REGISTERED',
        `Plugin "${entry.pluginId}" declares ${this.point.id} "${id}" but registered no implementation for it in activate(). Call context.contribute(...) or context.${this.point.id}.register("${id}", …).`,
        { pluginId: entry.pluginId, contributionId: id },
      );
    }
    return entry.implementation as I;
  }

  /** Every contribution whose plugin activates; failed plugins are skipped (they are isolated). */
  async all(): Promise<Array<{ pluginId: string; declaration: D; implementation: I }>> {
    const result: Array<{ pluginId: string; declaration: D; implementation: I }> = [];
    for (const entry of this.registry.entries(this.point.id)) {
      try {
        const implementation = await this.get(entry.declaration.id);
        result.push({
          pluginId: entry.pluginId,
          declaration: entry.declaration as D,
          implementation,
        });
      } catch (error) {
        if (!this.host.isFailed(entry.pluginId)) throw error;
      }
    }
    return result;
  }

  /**
   * Calls a hook on every contribution that implements it, in registration order. `first` resolves
   * to the first answer that is not null or undefined (later ones are not called), or undefined;
   * `sequential` awaits each in turn and `parallel` runs them together, both resolving to every
   * answer. Errors are tagged with the plugin, the hook and the contribution.
   */
  invoke<R = unknown>(
    hook: string,
    args: readonly unknown[],
    mode: 'first',
  ): Promise<R | undefined>;
  invoke<R = unknown>(
    hook: string,
    args: readonly unknown[],
    mode: 'sequential' | 'parallel',
  ): Promise<R[]>;
  async invoke<R = unknown>(
    hook: string,
    args: readonly unknown[],
    mode: HookMode,
  ): Promise<R | R[] | undefined> {
    const callers = (await this.all())
      .filter(
        ({ implementation }) =>
          typeof (implementation as Record<string, unknown>)[hook] === 'function',
      )
      .map((contribution) => () => this.#call<R>(contribution, hook, args));
    if (mode === 'parallel') return Promise.all(callers.map((call) => call()));
    if (mode === 'sequential') {
      const results: R[] = [];
      for (const call of callers) results.push(await call());
      return results;
    }
    for (const call of callers) {
      const value = await call();
      if (value !== undefined && value !== null) return value;
    }
    return undefined;
  }

  async #call<R>(
    contribution: { pluginId: string; declaration: D; implementation: I },
    hook: string,
    args: readonly unknown[],
  ): Promise<R> {
    const { pluginId, declaration, implementation } = contribution;
    try {
      const fn = (implementation as Record<string, (...a: unknown[]) => unknown>)[hook];
      return (await fn?.apply(implementation, [...args])) as R;
    } catch (error) {
      throw new KequnError(
        'KQ_PLUGIN_HOOK_FAILED',
        `Plugin "${pluginId}" failed in hook "${hook}" of ${this.point.id} "${declaration.id}": ${describeError(error)}`,
        { cause: error, pluginId, hook, contributionId: declaration.id },
      );
    }
  }

  #entry(id: string): ContributionEntry {
    const entry = this.registry.entry(this.point.id, id);
    if (entry !== undefined) return entry;
    const known = this.registry.entries(this.point.id).map((e) => `"${e.declaration.id}"`);
    throw new KequnError(
      'KQ_CONTRIBUTION_UNKNOWN',
      `No plugin contributes ${this.point.id} "${id}". ${known.length > 0 ? `Known: ${known.join(', ')}.` : 'None are registered.'} Register the plugin that provides it.`,
      { contributionId: id },
    );
  }
}
