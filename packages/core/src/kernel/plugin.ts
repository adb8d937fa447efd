// `definePlugin`: a plugin is a plain, frozen object branded with `$$type` and the brand version,
// holding its validated manifest, its settings schema and its code.
import type { z } from 'zod';
import { parsePluginManifest, type PluginManifest, type PluginManifestInput } from './manifest.js';
import type { ContributionDeclaration, ContributionPoint } from './contribution-point.js';
import type { ServiceDefinition, ServiceResolver, Token } from './di.js';
import type { DisposableStore, Disposable } from './lifecycle.js';
import type { Logger } from './logger.js';
import type { PluginState } from './state.js';
import type { EventBus } from './event.js';
import type { KequnEventMap } from './events.js';
import type {
  AttributeImplementation,
  CampaignTypeImplementation,
  ChannelAdapter,
  ComponentImplementation,
  OperatorImplementation,
  SegmentStrategy,
} from './points.js';
import { KequnError } from './errors.js';

/** Registers implementations of one contribution point; each registration is disposable. */
export interface ContributionRegistrar<Implementation> {
  register(id: string, implementation: Implementation): Disposable;
}

/** The context a plugin's `activate` receives. It is frozen; everything registered through it is
 * tracked in `subscriptions` and undone when the plugin deactivates. */
export interface PluginContext<Settings = unknown> {
  readonly pluginId: string;
  readonly manifest: PluginManifest;
  readonly subscriptions: DisposableStore;
  /** Validated, defaults applied, deeply frozen. */
  readonly settings: Settings;
  readonly state: PluginState;
  readonly logger: Logger;
  /** The kernel's domain events; subscriptions made here are attributed to this plugin. */
  readonly events: Pick<EventBus<KequnEventMap>, 'on' | 'emit'>;
  readonly services: ServiceResolver & {
    register<T>(definition: ServiceDefinition<T, readonly Token<unknown>[]>): void;
  };
  /** The exports of a plugin this one depends on (its `activate` return value). */
  dependency<T = unknown>(pluginId: string): T;
  /** Registers an implementation for any contribution point, the kernel's or a plugin's own. */
  contribute<D extends ContributionDeclaration, I>(
    point: ContributionPoint<D, I>,
    id: string,
    implementation: I,
  ): Disposable;
  readonly segmentStrategies: ContributionRegistrar<SegmentStrategy>;
  readonly campaignTypes: ContributionRegistrar<CampaignTypeImplementation>;
  readonly channels: ContributionRegistrar<ChannelAdapter>;
  readonly operators: ContributionRegistrar<OperatorImplementation>;
  readonly attributes: ContributionRegistrar<AttributeImplementation>;
  readonly components: ContributionRegistrar<ComponentImplementation>;
}

export interface PluginDefinition<Settings, Exports> extends PluginManifestInput {
  /** zod schema of the plugin's settings; defaults apply when the bank sets nothing. */
  settings?: z.ZodType<Settings>;
  /** Contribution points this plugin owns, for other plugins to contribute to. */
  extensionPoints?: readonly ContributionPoint<ContributionDeclaration, unknown>[];
  /** Services this plugin provides to the kernel and to plugins that depend on it. */
  services?: readonly ServiceDefinition<unknown, readonly Token<unknown>[]>[];
  activate?(context: PluginContext<Settings>): Exports | Promise<Exports>;
  deactivate?(): void | Promise<void>;
}

export interface KequnPlugin<Settings = unknown, Exports = unknown> {
  readonly $$type: '@kequn/Plugin';
  /** Version of the plugin object's shape, so a newer kernel can read older plugins. */
  readonly version: 'v1';
  readonly manifest: PluginManifest;
  readonly settingsSchema: z.ZodType<Settings> | undefined;
  readonly extensionPoints: readonly ContributionPoint<ContributionDeclaration, unknown>[];
  readonly services: readonly ServiceDefinition<unknown, readonly Token<unknown>[]>[];
  // Method syntax on purpose: it lets a KequnPlugin<TieringSettings> stand where a KequnPlugin is expected.
  activate(context: PluginContext<Settings>): Exports | Promise<Exports>;
  deactivate(): void | Promise<void>;
}

export function definePlugin<Settings = Record<string, never>, Exports = void>(
  definition: PluginDefinition<Settings, Exports>,
): KequnPlugin<Settings, Exports> {
  const { settings, extensionPoints, services, activate, deactivate, ...manifestInput } =
    definition;
  const manifest = parsePluginManifest(manifestInput);
  return Object.freeze({
    $$type: '@kequn/Plugin' as const,
    version: 'v1' as const,
    manifest,
    settingsSchema: settings,
    extensionPoints: Object.freeze([...(extensionPoints ?? [])]),
    services: Object.freeze([...(services ?? [])]),
    activate: activate ?? (() => undefined as Exports),
    deactivate: deactivate ?? (() => undefined),
  });
}

export function assertPlugin(value: unknown): asserts value is KequnPlugin {
  const candidate = value as Partial<KequnPlugin> | null;
  if (candidate?.$$type === '@kequn/Plugin' && candidate.version === 'v1') return;
  const id = (candidate as { manifest?: { id?: unknown }; id?: unknown } | null)?.manifest?.id;
  throw new KequnError(
    'KQ_MANIFEST_INVALID',
    `${typeof id === 'string' ? `"${id}"` : 'The value passed'} is not a Kequn plugin: create plugins with definePlugin({...}) from @kequn/core.`,
  );
}
