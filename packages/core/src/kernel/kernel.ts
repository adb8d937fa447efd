// The plugin host, after VS Code's extension activator: plugins activate lazily on the first use of
// one of their contributions, activations are de-duplicated, dependencies activate first, cycles are
// refused at registration, and a failure is recorded and passed on to dependants without stopping
// the kernel from serving everyone else.
import semver from 'semver';
import { DisposableStore, toDisposable, type Disposable } from './lifecycle.js';
import { KequnError, describeError } from './errors.js';
import { EventBus } from './event.js';
import type { KequnEventMap } from './events.js';
import {
  ServiceScopeContainer,
  createToken,
  type ServiceDefinition,
  type ServiceResolver,
  type Token,
} from './di.js';
import { consoleLogSink, createLogger, minimumLevel, type Logger, type LogSink } from './logger.js';
import { MemoryStateStorage, createPluginState, type StateStorage } from './state.js';
import {
  assertPlugin,
  type ContributionRegistrar,
  type KequnPlugin,
  type PluginContext,
} from './plugin.js';
import { formatZodIssues } from './manifest.js';
import type {
  ContributionDeclaration,
  ContributionPoint,
  DeclarationOf,
  ImplementationOf,
} from './contribution-point.js';
import { ContributionRegistry, Contributions } from './contributions.js';
import {
  attributesPoint,
  builtInContributionPoints,
  campaignTypesPoint,
  channelsPoint,
  componentsPoint,
  operatorsPoint,
  segmentStrategiesPoint,
} from './points.js';

/** The version of the plugin API this kernel implements; plugins state a range in `engines.kequn`. */
export const KEQUN_API_VERSION = '1.0.0';

export type PluginLifecycleState =
  'registered' | 'activating' | 'active' | 'failed' | 'deactivating' | 'inactive';

export interface PluginStatus {
  id: string;
  version: string;
  state: PluginLifecycleState;
  activationEvents: readonly string[];
  error?: KequnError;
}

type AccessOf<P> = Contributions<DeclarationOf<P>, ImplementationOf<P>>;

export interface KernelOptions {
  plugins?: readonly KequnPlugin[];
  /** Settings per plugin id, validated by each plugin's own schema. */
  settings?: Readonly<Record<string, unknown>>;
  services?: readonly ServiceDefinition<unknown, readonly Token<unknown>[]>[];
  logSink?: LogSink;
  stateStorage?: StateStorage;
}

interface PluginRecord {
  readonly plugin: KequnPlugin;
  settings: unknown;
  state: PluginLifecycleState;
  error?: KequnError;
  activation?: Promise<void>;
  exports?: unknown;
  subscriptions?: DisposableStore;
  scope?: ServiceScopeContainer;
  readonly registration: DisposableStore;
}

export class Kernel {
  readonly version = KEQUN_API_VERSION;
  readonly events: EventBus<KequnEventMap>;
  readonly logger: Logger;
  readonly segmentStrategies: AccessOf<typeof segmentStrategiesPoint>;
  readonly campaignTypes: AccessOf<typeof campaignTypesPoint>;
  readonly channels: AccessOf<typeof channelsPoint>;
  readonly operators: AccessOf<typeof operatorsPoint>;
  readonly attributes: AccessOf<typeof attributesPoint>;
  readonly components: AccessOf<typeof componentsPoint>;

  readonly #plugins = new Map<string, PluginRecord>();
  readonly #registry = new ContributionRegistry();
  readonly #scope: ServiceScopeContainer;
  readonly #logSink: LogSink;
  readonly #stateStorage: StateStorage;
  readonly #settings: Readonly<Record<string, unknown>>;
  #disposed = false;

  constructor(options: KernelOptions = {}) {
    this.#logSink = options.logSink ?? minimumLevel(consoleLogSink, 'info');
    this.logger = createLogger(this.#logSink);
    this.events = new EventBus<KequnEventMap>((error) =>
      this.#log(error.pluginId).error(error.message, error.cause),
    );
    this.#stateStorage = options.stateStorage ?? new MemoryStateStorage();
    this.#settings = options.settings ?? {};
    this.#scope = ServiceScopeContainer.createRoot('the kernel');
    this.#scope.registerValue(kernelToken, this);
    for (const point of builtInContributionPoints) this.#registry.addPoint(point, 'kernel');
    for (const service of options.services ?? []) this.#scope.register(service);
    this.segmentStrategies = this.contributions(segmentStrategiesPoint);
    this.campaignTypes = this.contributions(campaignTypesPoint);
    this.channels = this.contributions(channelsPoint);
    this.operators = this.contributions(operatorsPoint);
    this.attributes = this.contributions(attributesPoint);
    this.components = this.contributions(componentsPoint);
    for (const plugin of options.plugins ?? []) this.registerPlugin(plugin);
    this.#warnAboutUnclaimedSettings();
  }

  /** A typo in a settings key would otherwise leave a plugin silently on its defaults. */
  #warnAboutUnclaimedSettings(): void {
    const registered = [...this.#plugins.keys()];
    for (const pluginId of Object.keys(this.#settings)) {
      if (this.#plugins.has(pluginId)) continue;
      this.logger.warn(
        `Settings were given for "${pluginId}", but no plugin with that id is registered (registered: ${registered.join(', ') || 'none'}). Check the key, or register the plugin.`,
      );
    }
  }

  get services(): ServiceResolver {
    return this.#scope;
  }

  /** Lazy access to any contribution point, including ones plugins define. */
  contributions<D extends ContributionDeclaration, I>(
    point: ContributionPoint<D, I>,
  ): Contributions<D, I> {
    return new Contributions(point, this.#registry, {
      activateByEvent: (event) => this.activateByEvent(event),
      isFailed: (pluginId) => this.#plugins.get(pluginId)?.state === 'failed',
      failureOf: (pluginId) => {
        const record = this.#plugins.get(pluginId);
        return record?.state === 'failed' ? record.error : undefined;
      },
    });
  }

  /**
   * Validates and registers a plugin. Nothing of it runs yet. Refuses an invalid manifest, an
   * incompatible engine range, a duplicate id, invalid settings and a dependency cycle.
   * Disposing the returned value deactivates and unregisters the plugin.
   */
  registerPlugin(plugin: KequnPlugin, settings?: unknown): Disposable {
    this.#assertLive();
    assertPlugin(plugin);
    const { manifest } = plugin;
    if (this.#plugins.has(manifest.id)) {
      throw new KequnError(
        'KQ_PLUGIN_DUPLICATE',
        `Plugin "${manifest.id}" is already registered.`,
        {
          pluginId: manifest.id,
        },
      );
    }
    this.#checkEngine(plugin);
    this.#checkCycles(plugin);
    const record: PluginRecord = {
      plugin,
      settings: this.#validateSettings(plugin, settings ?? this.#settings[manifest.id]),
      state: 'registered',
      registration: new DisposableStore(),
    };
    try {
      this.#declareContributions(record);
    } catch (error) {
      void record.registration.dispose();
      throw error;
    }
    this.#plugins.set(manifest.id, record);
    return toDisposable(async () => {
      await this.deactivate(manifest.id);
      await record.registration.dispose();
      this.#plugins.delete(manifest.id);
    });
  }

  /** Activates the plugins that have `onStartup` or `*`; throws if one with `onActivationFailure: 'abort'` fails. */
  async start(): Promise<void> {
    const critical: KequnError[] = [];
    for (const record of this.#plugins.values()) {
      const events = record.plugin.manifest.activationEvents;
      if (!events.includes('onStartup') && !events.includes('*')) continue;
      try {
        await this.activate(record.plugin.manifest.id);
      } catch (error) {
        if (record.plugin.manifest.onActivationFailure === 'abort')
          critical.push(toKequnError(error));
      }
    }
    if (critical.length > 0) {
      throw new KequnError(
        'KQ_PLUGIN_ACTIVATION_FAILED',
        `The kernel could not start: ${critical.map((error) => error.message).join(' ')}`,
        {
          cause: critical[0],
          ...(critical[0]?.pluginId ? { pluginId: critical[0].pluginId } : {}),
        },
      );
    }
  }

  /** Activates every registered plugin listening to an activation event. */
  async activateByEvent(event: string): Promise<void> {
    const [prefix] = event.split(':');
    const listeners = [...this.#plugins.values()].filter((record) => {
      const events = this.#activationEventsOf(record);
      return events.has(event) || events.has('*') || events.has(`${prefix}:*`);
    });
    await Promise.allSettled(listeners.map((record) => this.activate(record.plugin.manifest.id)));
  }

  /** Activates one plugin and, first, its dependencies. Concurrent calls share one activation. */
  activate(pluginId: string): Promise<void> {
    this.#assertLive();
    const record = this.#record(pluginId);
    if (record.state === 'active') return Promise.resolve();
    if (record.state === 'failed' && record.error) return Promise.reject(record.error);
    if (record.activation) return record.activation;
    const activation = this.#activate(record, [pluginId]);
    record.activation = activation;
    return activation;
  }

  /** Deactivates a plugin (its active dependants first) and disposes everything it registered. */
  async deactivate(pluginId: string): Promise<void> {
    const record = this.#record(pluginId);
    if (record.activation) await record.activation.catch(() => undefined);
    if (record.state !== 'active') return;
    for (const dependant of this.#dependantsOf(pluginId)) {
      await this.deactivate(dependant);
    }
    record.state = 'deactivating';
    await this.#disposeWithTimeout(record);
    record.state = 'inactive';
    record.activation = undefined;
    record.exports = undefined;
    this.events.emit('plugin.deactivated', { pluginId });
  }

  plugin(pluginId: string): PluginStatus {
    return this.#status(this.#record(pluginId));
  }

  plugins(): PluginStatus[] {
    return [...this.#plugins.values()].map((record) => this.#status(record));
  }

  /** The exports (return value of `activate`) of an active plugin. */
  exportsOf<T = unknown>(pluginId: string): T {
    const record = this.#record(pluginId);
    if (record.state !== 'active') {
      throw new KequnError(
        'KQ_PLUGIN_UNKNOWN',
        `Plugin "${pluginId}" is ${record.state}; its exports are available only while it is active.`,
        { pluginId },
      );
    }
    return record.exports as T;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    const order = this.#activationOrder().reverse();
    for (const pluginId of order) await this.deactivate(pluginId);
    this.#disposed = true;
    this.events.dispose();
    await this.#scope.dispose();
  }

  // ── activation ──────────────────────────────────────────────────────────────────────────────

  async #activate(record: PluginRecord, path: string[]): Promise<void> {
    const { manifest } = record.plugin;
    record.state = 'activating';
    const started = Date.now();
    try {
      await this.#activateDependencies(record, path);
      await this.#runActivate(record);
      record.state = 'active';
      this.events.emit('plugin.activated', {
        pluginId: manifest.id,
        durationMs: Date.now() - started,
      });
    } catch (error) {
      const failure = toKequnError(error, manifest.id);
      record.state = 'failed';
      record.error = failure;
      record.activation = undefined;
      const dependants = this.#dependantsOf(manifest.id, true);
      this.#log(manifest.id).error(
        `Activation failed${dependants.length > 0 ? `; dependants affected: ${dependants.join(', ')}` : ''}. The kernel keeps serving the other plugins.`,
        failure,
      );
      this.events.emit('plugin.failed', { pluginId: manifest.id, error: failure, dependants });
      throw failure;
    }
  }

  async #activateDependencies(record: PluginRecord, path: string[]): Promise<void> {
    const { manifest } = record.plugin;
    for (const dependencyId of manifest.dependsOn) {
      if (!this.#plugins.has(dependencyId)) {
        throw new KequnError(
          'KQ_PLUGIN_DEPENDENCY_MISSING',
          `Plugin "${manifest.id}" depends on "${dependencyId}", which is not registered. Register "${dependencyId}" too, or move it to optionalDependsOn.`,
          { pluginId: manifest.id },
        );
      }
      try {
        await this.activate(dependencyId);
      } catch (error) {
        throw new KequnError(
          'KQ_PLUGIN_DEPENDENCY_FAILED',
          `Plugin "${manifest.id}" cannot activate because its dependency "${dependencyId}" failed: ${describeError(error)}`,
          { cause: error, pluginId: manifest.id, hook: 'activate' },
        );
      }
    }
    for (const dependencyId of manifest.optionalDependsOn) {
      if (!this.#plugins.has(dependencyId) || path.includes(dependencyId)) continue;
      await this.activate(dependencyId).catch((error: unknown) => {
        this.#log(manifest.id).warn(
          `Optional dependency "${dependencyId}" failed to activate; continuing without it: ${describeError(error)}`,
        );
      });
    }
  }

  async #runActivate(record: PluginRecord): Promise<void> {
    const { plugin } = record;
    const subscriptions = new DisposableStore((message) =>
      this.#log(plugin.manifest.id).warn(message),
    );
    const scope = this.#scope.createChild(`plugin "${plugin.manifest.id}"`);
    record.subscriptions = subscriptions;
    record.scope = scope;
    try {
      for (const service of plugin.services) scope.register(service);
      const context = this.#createContext(record, subscriptions, scope);
      record.exports = await plugin.activate(context as PluginContext<unknown>);
    } catch (error) {
      await subscriptions.dispose().catch(() => undefined);
      await scope.dispose().catch(() => undefined);
      record.subscriptions = undefined;
      record.scope = undefined;
      throw new KequnError(
        'KQ_PLUGIN_ACTIVATION_FAILED',
        `Plugin "${plugin.manifest.id}" failed to activate: ${describeError(error)}`,
        { cause: error, pluginId: plugin.manifest.id, hook: 'activate' },
      );
    }
  }

  #createContext(
    record: PluginRecord,
    subscriptions: DisposableStore,
    scope: ServiceScopeContainer,
  ): PluginContext<unknown> {
    const pluginId = record.plugin.manifest.id;
    const contribute = <D extends ContributionDeclaration, I>(
      point: ContributionPoint<D, I>,
      id: string,
      implementation: I,
    ): Disposable =>
      subscriptions.add(this.#registry.implement(pluginId, point.id, id, implementation));
    const registrar = <I>(
      point: ContributionPoint<ContributionDeclaration, I>,
    ): ContributionRegistrar<I> =>
      Object.freeze({
        register: (id: string, implementation: I) => contribute(point, id, implementation),
      });
    const dependency = <T>(dependencyId: string): T => {
      const { manifest } = record.plugin;
      if (
        !manifest.dependsOn.includes(dependencyId) &&
        !manifest.optionalDependsOn.includes(dependencyId)
      ) {
        throw new KequnError(
          'KQ_PLUGIN_DEPENDENCY_MISSING',
          `Plugin "${pluginId}" asked for the exports of "${dependencyId}" but does not list it in dependsOn or optionalDependsOn.`,
          { pluginId },
        );
      }
      return this.exportsOf<T>(dependencyId);
    };
    return Object.freeze({
      pluginId,
      manifest: record.plugin.manifest,
      subscriptions,
      settings: record.settings,
      state: createPluginState(this.#stateStorage, pluginId),
      logger: this.#log(pluginId),
      events: Object.freeze({
        on: ((name, listener, options) =>
          this.events.on(name, listener, {
            owner: pluginId,
            disposables: subscriptions,
            ...options,
          })) as EventBus<KequnEventMap>['on'],
        emit: ((name, payload) =>
          this.events.emit(name, payload)) as EventBus<KequnEventMap>['emit'],
      }),
      services: Object.freeze({
        resolve: <T>(token: Token<T>) => scope.resolve(token),
        has: (token: Token<unknown>) => scope.has(token),
        register: <T>(definition: ServiceDefinition<T, readonly Token<unknown>[]>) =>
          scope.register(definition),
      }),
      dependency,
      contribute,
      segmentStrategies: registrar(segmentStrategiesPoint),
      campaignTypes: registrar(campaignTypesPoint),
      channels: registrar(channelsPoint),
      operators: registrar(operatorsPoint),
      attributes: registrar(attributesPoint),
      components: registrar(componentsPoint),
    });
  }

  async #disposeWithTimeout(record: PluginRecord): Promise<void> {
    const { manifest } = record.plugin;
    const work = (async () => {
      try {
        await record.plugin.deactivate();
      } finally {
        await record.subscriptions?.dispose();
        await record.scope?.dispose();
      }
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), manifest.disposeTimeoutMs);
    });
    try {
      const outcome = await Promise.race([work.then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') {
        this.#log(manifest.id).error(
          `Deactivation did not finish within ${manifest.disposeTimeoutMs} ms; the kernel stopped waiting. Check the plugin's dispose() for a hung promise.`,
          new KequnError(
            'KQ_PLUGIN_DISPOSE_TIMEOUT',
            `Plugin "${manifest.id}" timed out while deactivating.`,
            {
              pluginId: manifest.id,
              hook: 'deactivate',
            },
          ),
        );
      }
    } catch (error) {
      this.#log(manifest.id).error(
        'Deactivation threw; its registrations were still removed.',
        error,
      );
    } finally {
      clearTimeout(timer);
      record.subscriptions = undefined;
      record.scope = undefined;
    }
  }

  // ── registration checks ─────────────────────────────────────────────────────────────────────

  #checkEngine(plugin: KequnPlugin): void {
    const range = plugin.manifest.engines.kequn;
    if (semver.satisfies(KEQUN_API_VERSION, range, { includePrerelease: true })) return;
    throw new KequnError(
      'KQ_PLUGIN_ENGINE_INCOMPATIBLE',
      `Plugin "${plugin.manifest.id}" ${plugin.manifest.version} requires Kequn ${range} (engines.kequn), but this kernel implements ${KEQUN_API_VERSION}. Install a version of the plugin built for Kequn ${semver.major(KEQUN_API_VERSION)}, or upgrade @kequn/core.`,
      { pluginId: plugin.manifest.id },
    );
  }

  /** Refuses a plugin whose dependencies (required or optional) lead back to itself. */
  #checkCycles(plugin: KequnPlugin): void {
    const start = plugin.manifest.id;
    const edgesOf = (id: string): string[] => {
      const manifest = id === start ? plugin.manifest : this.#plugins.get(id)?.plugin.manifest;
      return manifest === undefined ? [] : [...manifest.dependsOn, ...manifest.optionalDependsOn];
    };
    const visit = (id: string, path: string[]): string[] | undefined => {
      for (const next of edgesOf(id)) {
        if (next === start) return [...path, next];
        if (path.includes(next)) continue;
        const cycle = visit(next, [...path, next]);
        if (cycle) return cycle;
      }
      return undefined;
    };
    const cycle = visit(start, [start]);
    if (cycle === undefined) return;
    throw new KequnError(
      'KQ_PLUGIN_DEPENDENCY_CYCLE',
      `Plugin "${start}" closes a dependency cycle: ${cycle.join(' → ')}. Break the cycle, e.g. by moving shared code into a plugin both depend on.`,
      { pluginId: start, details: { cycle } },
    );
  }

  #validateSettings(plugin: KequnPlugin, input: unknown): unknown {
    const schema = plugin.settingsSchema;
    if (schema === undefined) return Object.freeze({});
    const result = schema.safeParse(input ?? {});
    if (result.success) return deepFreeze(result.data);
    throw new KequnError(
      'KQ_PLUGIN_SETTINGS_INVALID',
      `Settings for plugin "${plugin.manifest.id}" are invalid: ${formatZodIssues(result.error)}.`,
      { pluginId: plugin.manifest.id, details: { issues: result.error.issues } },
    );
  }

  #declareContributions(record: PluginRecord): void {
    const { manifest } = record.plugin;
    for (const point of record.plugin.extensionPoints) {
      record.registration.add(this.#registry.addPoint(point, manifest.id));
      for (const pending of this.#registry.takePending(point.id)) {
        record.registration.add(this.#registry.declare(pending.pluginId, point.id, pending.raw));
      }
    }
    for (const [pointId, declarations] of Object.entries(manifest.contributes)) {
      if (pointId === 'settings' || declarations === undefined) continue;
      record.registration.add(this.#registry.declare(manifest.id, pointId, declarations));
    }
  }

  /**
   * Activation events, derived from contributions when asked rather than at registration: a
   * plugin may contribute to a point whose owner registers after it.
   */
  #activationEventsOf(record: PluginRecord): Set<string> {
    const { manifest } = record.plugin;
    const events = new Set<string>(manifest.activationEvents);
    for (const [pointId, declarations] of Object.entries(manifest.contributes)) {
      if (pointId === 'settings' || declarations === undefined) continue;
      const point = this.#registry.point(pointId);
      if (point === undefined) continue;
      for (const declaration of declarations)
        events.add(`${point.activationEvent}:${declaration.id}`);
    }
    return events;
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  #record(pluginId: string): PluginRecord {
    const record = this.#plugins.get(pluginId);
    if (record) return record;
    const known = [...this.#plugins.keys()].join(', ') || 'none';
    throw new KequnError(
      'KQ_PLUGIN_UNKNOWN',
      `No plugin "${pluginId}" is registered (registered: ${known}).`,
      {
        pluginId,
      },
    );
  }

  /** Plugins that directly depend on a plugin: the active ones, or all registered ones with `all`. */
  #dependantsOf(pluginId: string, all = false): string[] {
    const result: string[] = [];
    for (const record of this.#plugins.values()) {
      const { manifest } = record.plugin;
      const depends =
        manifest.dependsOn.includes(pluginId) || manifest.optionalDependsOn.includes(pluginId);
      if (!depends) continue;
      if (all || record.state === 'active') result.push(manifest.id);
    }
    return result;
  }

  /** Plugin ids in an order where dependencies come before dependants. */
  #activationOrder(): string[] {
    const order: string[] = [];
    const visit = (id: string, seen: Set<string>): void => {
      if (order.includes(id) || seen.has(id)) return;
      seen.add(id);
      const manifest = this.#plugins.get(id)?.plugin.manifest;
      for (const dependency of [
        ...(manifest?.dependsOn ?? []),
        ...(manifest?.optionalDependsOn ?? []),
      ]) {
        if (this.#plugins.has(dependency)) visit(dependency, seen);
      }
      order.push(id);
    };
    for (const id of this.#plugins.keys()) visit(id, new Set());
    return order;
  }

  #status(record: PluginRecord): PluginStatus {
    const status: PluginStatus = {
      id: record.plugin.manifest.id,
      version: record.plugin.manifest.version,
      state: record.state,
      activationEvents: [...this.#activationEventsOf(record)],
    };
    if (record.error) status.error = record.error;
    return status;
  }

  #log(pluginId: string | undefined): Logger {
    return createLogger(this.#logSink, pluginId);
  }

  #assertLive(): void {
    if (this.#disposed) {
      throw new KequnError(
        'KQ_KERNEL_DISPOSED',
        'The kernel has been disposed; create a new one with createKernel().',
      );
    }
  }
}

/** The kernel itself as a service, for services that need it. */
export const kernelToken = createToken<Kernel>('Kernel');

export function createKernel(options: KernelOptions = {}): Kernel {
  return new Kernel(options);
}

function toKequnError(error: unknown, pluginId?: string): KequnError {
  if (error instanceof KequnError) return error;
  return new KequnError('KQ_PLUGIN_ACTIVATION_FAILED', describeError(error), {
    cause: error,
    ...(pluginId === undefined ? {} : { pluginId }),
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const nested of Object.values(value)) deepFreeze(nested);
  return Object.freeze(value);
}
