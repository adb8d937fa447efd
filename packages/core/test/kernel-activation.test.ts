import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createKernel,
  definePlugin,
  isKequnError,
  segmentStrategiesPoint,
  type LogRecord,
  type SegmentStrategy,
} from '../src/index.js';

const engines = { kequn: '^1' };
const label = { 'zh-CN': '测试', en: 'Test' };

function strategy(): SegmentStrategy {
  return { segments: () => [], evaluate: () => new Map() };
}

function segmentPlugin(
  id: string,
  options: { dependsOn?: string[]; onActivate?: () => void | Promise<void> } = {},
) {
  return definePlugin({
    id,
    version: '1.0.0',
    engines,
    dependsOn: options.dependsOn ?? [],
    contributes: { segmentStrategies: [{ id, label }] },
    async activate(context) {
      await options.onActivate?.();
      context.segmentStrategies.register(id, strategy());
    },
  });
}

function silentKernel(records: LogRecord[] = []) {
  return { logSink: (record: LogRecord) => void records.push(record) };
}

describe('lazy activation', () => {
  it('activates a plugin only when one of its contributions is first used', async () => {
    const activate = vi.fn();
    const kernel = createKernel({
      ...silentKernel(),
      plugins: [segmentPlugin('tiering', { onActivate: activate })],
    });
    await kernel.start();
    expect(activate).not.toHaveBeenCalled();
    expect(kernel.plugin('tiering').state).toBe('registered');
    expect(kernel.segmentStrategies.list().map((entry) => entry.declaration.id)).toEqual([
      'tiering',
    ]);

    await kernel.segmentStrategies.get('tiering');
    expect(activate).toHaveBeenCalledTimes(1);
    expect(kernel.plugin('tiering').state).toBe('active');
    expect(kernel.plugin('tiering').activationEvents).toContain('onSegmentStrategy:tiering');
  });

  it('de-duplicates concurrent activations', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const activate = vi.fn(() => gate);
    const kernel = createKernel({
      ...silentKernel(),
      plugins: [segmentPlugin('tiering', { onActivate: activate })],
    });
    const first = kernel.segmentStrategies.get('tiering');
    const second = kernel.segmentStrategies.get('tiering');
    const third = kernel.activate('tiering');
    release();
    const [a, b] = await Promise.all([first, second, third]);
    expect(activate).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
  });

  it('activates onStartup plugins on start', async () => {
    const activate = vi.fn();
    const plugin = definePlugin({
      id: 'boot',
      version: '1.0.0',
      engines,
      activationEvents: ['onStartup'],
      activate,
    });
    const kernel = createKernel({ ...silentKernel(), plugins: [plugin] });
    await kernel.start();
    expect(activate).toHaveBeenCalledOnce();
  });

  it('explains an unknown contribution, listing the known ones', async () => {
    const kernel = createKernel({ ...silentKernel(), plugins: [segmentPlugin('tiering')] });
    await expect(kernel.segmentStrategies.get('tierng')).rejects.toThrow(
      /No plugin contributes segmentStrategies "tierng".*"tiering"/,
    );
  });

  it('reports a declared contribution that activate() never registered', async () => {
    const plugin = definePlugin({
      id: 'forgetful',
      version: '1.0.0',
      engines,
      contributes: { segmentStrategies: [{ id: 'forgotten', label }] },
    });
    const kernel = createKernel({ ...silentKernel(), plugins: [plugin] });
    const error = await kernel.segmentStrategies.get('forgotten').catch((e: unknown) => e);
    expect(isKequnError(error, 'KQ_CONTRIBUTION_NOT_REGISTERED')).toBe(true);
  });
});

describe('dependencies', () => {
  it('activates dependencies first, in order', async () => {
    const order: string[] = [];
    const kernel = createKernel({
      ...silentKernel(),
      plugins: [
        segmentPlugin('c', { dependsOn: ['b'], onActivate: () => void order.push('c') }),
        segmentPlugin('b', { dependsOn: ['a'], onActivate: () => void order.push('b') }),
        segmentPlugin('a', { onActivate: () => void order.push('a') }),
      ],
    });
    await kernel.segmentStrategies.get('c');
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('refuses a dependency cycle at registration and names its path', () => {
    const kernel = createKernel(silentKernel());
    kernel.registerPlugin(segmentPlugin('a', { dependsOn: ['b'] }));
    kernel.registerPlugin(segmentPlugin('b', { dependsOn: ['c'] }));
    let error: unknown;
    try {
      kernel.registerPlugin(segmentPlugin('c', { dependsOn: ['a'] }));
    } catch (caught) {
      error = caught;
    }
    expect(isKequnError(error, 'KQ_PLUGIN_DEPENDENCY_CYCLE')).toBe(true);
    expect((error as Error).message).toContain('c → a → b → c');
    expect(kernel.plugins().map((status) => status.id)).toEqual(['a', 'b']);
  });

  it('refuses a plugin that depends on itself', () => {
    const kernel = createKernel(silentKernel());
    expect(() =>
      kernel.registerPlugin(segmentPlugin('selfish', { dependsOn: ['selfish'] })),
    ).toThrow(/selfish → selfish/);
  });

  it('fails a plugin whose required dependency is not registered, naming it', async () => {
    const kernel = createKernel({
      ...silentKernel(),
      plugins: [segmentPlugin('orphan', { dependsOn: ['ghost'] })],
    });
    await expect(kernel.segmentStrategies.get('orphan')).rejects.toThrow(
      /depends on "ghost", which is not registered/,
    );
  });

  it('gives a plugin the exports of its dependencies', async () => {
    const base = definePlugin({
      id: 'base',
      version: '1.0.0',
      engines,
      activate: () => ({ greet: (name: string) => `您好，${name}` }),
    });
    let greeting = '';
    const user = definePlugin({
      id: 'user',
      version: '1.0.0',
      engines,
      dependsOn: ['base'],
      activationEvents: ['onStartup'],
      activate(context) {
        greeting = context.dependency<{ greet(name: string): string }>('base').greet('张三');
      },
    });
    const kernel = createKernel({ ...silentKernel(), plugins: [base, user] });
    await kernel.start();
    expect(greeting).toBe('您好，张三');
  });
});

describe('activation failures', () => {
  it('isolates a throwing activate: the plugin is failed, its dependants are told why, others keep working', async () => {
    const records: LogRecord[] = [];
    const failures: string[] = [];
    const kernel = createKernel({
      ...silentKernel(records),
      plugins: [
        segmentPlugin('broken', {
          onActivate: () => Promise.reject(new Error('warehouse unreachable')),
        }),
        segmentPlugin('dependant', { dependsOn: ['broken'] }),
        segmentPlugin('healthy'),
      ],
    });
    kernel.events.on(
      'plugin.failed',
      (event) => void failures.push(`${event.pluginId}:${event.dependants.join(',')}`),
    );

    await expect(kernel.segmentStrategies.get('broken')).rejects.toThrow(
      /"broken" failed to activate: warehouse unreachable/,
    );
    expect(kernel.plugin('broken').state).toBe('failed');
    expect(kernel.plugin('broken').error?.hook).toBe('activate');

    const dependantError = await kernel.segmentStrategies.get('dependant').catch((e: unknown) => e);
    expect(isKequnError(dependantError, 'KQ_PLUGIN_DEPENDENCY_FAILED')).toBe(true);
    expect((dependantError as Error).message).toMatch(
      /dependency "broken" failed: .*warehouse unreachable/,
    );

    await expect(kernel.segmentStrategies.get('healthy')).resolves.toBeDefined();
    expect(failures).toContain('broken:dependant');
    expect(records.some((r) => r.level === 'error' && r.pluginId === 'broken')).toBe(true);
    // A failed plugin stays failed: the second call does not re-run activate.
    await expect(kernel.activate('broken')).rejects.toThrow(/warehouse unreachable/);
  });

  it('undoes what a failing activate registered before it threw', async () => {
    const plugin = definePlugin({
      id: 'half',
      version: '1.0.0',
      engines,
      contributes: { segmentStrategies: [{ id: 'half', label }] },
      activate(context) {
        context.segmentStrategies.register('half', strategy());
        context.events.on('tier.changed', () => {});
        throw new Error('boom after registering');
      },
    });
    const kernel = createKernel({ ...silentKernel(), plugins: [plugin] });
    await expect(kernel.activate('half')).rejects.toThrow(/boom/);
    expect(kernel.segmentStrategies.list()[0]?.active).toBe(false);
    expect(kernel.events.listenerCount('tier.changed')).toBe(0);
  });

  it("start() rejects when a plugin with onActivationFailure 'abort' fails, not for 'continue'", async () => {
    const failing = (id: string, onActivationFailure: 'abort' | 'continue') =>
      definePlugin({
        id,
        version: '1.0.0',
        engines,
        activationEvents: ['onStartup'],
        onActivationFailure,
        activate: () => {
          throw new Error(`${id} is broken`);
        },
      });
    const tolerant = createKernel({
      ...silentKernel(),
      plugins: [failing('optional-thing', 'continue')],
    });
    await expect(tolerant.start()).resolves.toBeUndefined();

    const strict = createKernel({ ...silentKernel(), plugins: [failing('core-thing', 'abort')] });
    await expect(strict.start()).rejects.toThrow(/could not start: .*core-thing is broken/);
  });

  it('activates a plugin whose optional dependency failed', async () => {
    const kernel = createKernel({
      ...silentKernel(),
      plugins: [
        segmentPlugin('flaky', { onActivate: () => Promise.reject(new Error('nope')) }),
        definePlugin({
          id: 'resilient',
          version: '1.0.0',
          engines,
          optionalDependsOn: ['flaky'],
          activationEvents: ['onStartup'],
        }),
      ],
    });
    await kernel.start();
    expect(kernel.plugin('resilient').state).toBe('active');
    expect(kernel.plugin('flaky').state).toBe('failed');
  });
});

describe('registration checks', () => {
  it('refuses a plugin whose engine range does not admit the kernel version', () => {
    const kernel = createKernel(silentKernel());
    const future = definePlugin({ id: 'future', version: '3.0.0', engines: { kequn: '^2.0.0' } });
    let error: unknown;
    try {
      kernel.registerPlugin(future);
    } catch (caught) {
      error = caught;
    }
    expect(isKequnError(error, 'KQ_PLUGIN_ENGINE_INCOMPATIBLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /"future" 3\.0\.0 requires Kequn \^2\.0\.0.*implements 1\.0\.0/,
    );
  });

  it('refuses a duplicate plugin id', () => {
    const kernel = createKernel({ ...silentKernel(), plugins: [segmentPlugin('tiering')] });
    expect(() => kernel.registerPlugin(segmentPlugin('tiering'))).toThrow(/already registered/);
  });

  it('refuses two plugins contributing the same id to a point', () => {
    const kernel = createKernel({ ...silentKernel(), plugins: [segmentPlugin('tiering')] });
    const impostor = definePlugin({
      id: 'impostor',
      version: '1.0.0',
      engines,
      contributes: { segmentStrategies: [{ id: 'tiering', label }] },
    });
    expect(() => kernel.registerPlugin(impostor)).toThrow(
      /"impostor" contributes segmentStrategies "tiering", which plugin "tiering" already contributes/,
    );
  });

  it('refuses registering an implementation the manifest does not declare', async () => {
    const sneaky = definePlugin({
      id: 'sneaky',
      version: '1.0.0',
      engines,
      activationEvents: ['onStartup'],
      onActivationFailure: 'abort',
      activate(context) {
        context.segmentStrategies.register('undeclared', strategy());
      },
    });
    const kernel = createKernel({ ...silentKernel(), plugins: [sneaky] });
    await expect(kernel.start()).rejects.toThrow(
      /registers segmentStrategies "undeclared" but its manifest does not declare it/,
    );
  });

  it('refuses an implementation that lacks the methods of its point', async () => {
    const lazy = definePlugin({
      id: 'lazy',
      version: '1.0.0',
      engines,
      contributes: { segmentStrategies: [{ id: 'lazy', label }] },
      activate(context) {
        context.contribute(segmentStrategiesPoint, 'lazy', {
          segments: () => [],
        } as unknown as SegmentStrategy);
      },
    });
    const kernel = createKernel({ ...silentKernel(), plugins: [lazy] });
    await expect(kernel.segmentStrategies.get('lazy')).rejects.toThrow(/lacks evaluate\(\)/);
  });

  it('validates settings with the plugin schema and names the bad field', () => {
    const configurable = definePlugin({
      id: 'configurable',
      version: '1.0.0',
      engines,
      settings: z.object({
        thresholds: z.object({ effective: z.number().positive() }).default({ effective: 10_000 }),
      }),
    });
    const kernel = createKernel(silentKernel());
    let error: unknown;
    try {
      kernel.registerPlugin(configurable, { thresholds: { effective: 'ten thousand' } });
    } catch (caught) {
      error = caught;
    }
    expect(isKequnError(error, 'KQ_PLUGIN_SETTINGS_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      /Settings for plugin "configurable" are invalid: thresholds\.effective: /,
    );
  });

  it('warns about settings given for a plugin id nobody registered', () => {
    const records: LogRecord[] = [];
    createKernel({
      ...silentKernel(records),
      plugins: [segmentPlugin('tiering')],
      settings: { teiring: { windowMonths: 6 } },
    });
    const warning = records.find((record) => record.level === 'warn');
    expect(warning?.message).toMatch(
      /"teiring", but no plugin with that id is registered \(registered: tiering\)/,
    );
  });

  it('applies settings defaults and freezes them', async () => {
    let seen: unknown;
    const configurable = definePlugin({
      id: 'configurable',
      version: '1.0.0',
      engines,
      activationEvents: ['onStartup'],
      settings: z.object({ windowMonths: z.number().int().default(3) }),
      activate(context) {
        seen = context.settings;
      },
    });
    const kernel = createKernel({ ...silentKernel(), plugins: [configurable] });
    await kernel.start();
    expect(seen).toEqual({ windowMonths: 3 });
    expect(Object.isFrozen(seen)).toBe(true);
  });
});
