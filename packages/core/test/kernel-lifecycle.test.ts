import { describe, expect, it, vi } from 'vitest';
import {
  createKernel,
  createToken,
  definePlugin,
  defineService,
  DisposableStore,
  Emitter,
  toDisposable,
  type LogRecord,
  type SegmentStrategy,
} from '../src/index.js';

const engines = { kequn: '^1' };
const label = { 'zh-CN': '测试', en: 'Test' };

describe('disposables', () => {
  it('disposes newest first and only once', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    const first = store.add(toDisposable(() => void order.push('first')));
    store.add(toDisposable(() => void order.push('second')));
    await store.dispose();
    await first.dispose();
    await store.dispose();
    expect(order).toEqual(['second', 'first']);
  });

  it('disposes at once and warns when something is added to a disposed store', async () => {
    const warnings: string[] = [];
    const store = new DisposableStore((message) => void warnings.push(message));
    await store.dispose();
    const late = vi.fn();
    store.add(toDisposable(late));
    await Promise.resolve();
    expect(late).toHaveBeenCalledOnce();
    expect(warnings[0]).toMatch(/already disposed/);
  });

  it('still disposes the rest when one disposable throws, then reports it', async () => {
    const store = new DisposableStore();
    const survivor = vi.fn();
    store.add(toDisposable(survivor));
    store.add(
      toDisposable(() => {
        throw new Error('stuck');
      }),
    );
    await expect(store.dispose()).rejects.toThrow('stuck');
    expect(survivor).toHaveBeenCalledOnce();
  });
});

describe('events', () => {
  it('returns a disposable from subscribing and stops delivering after dispose', () => {
    const emitter = new Emitter<number>('count');
    const seen: number[] = [];
    const subscription = emitter.event((value) => void seen.push(value));
    emitter.fire(1);
    void subscription.dispose();
    emitter.fire(2);
    expect(seen).toEqual([1]);
    expect(emitter.listenerCount).toBe(0);
  });

  it('ignores subscriptions and fires after the emitter is disposed', () => {
    const emitter = new Emitter<number>('late');
    emitter.dispose();
    const listener = vi.fn();
    const subscription = emitter.event(listener);
    emitter.fire(1);
    expect(listener).not.toHaveBeenCalled();
    expect(() => subscription.dispose()).not.toThrow();
  });

  it('isolates a throwing listener, attributes it to its plugin, and still runs the others', async () => {
    const records: LogRecord[] = [];
    const received: string[] = [];
    const noisy = definePlugin({
      id: 'noisy',
      version: '1.0.0',
      engines,
      activationEvents: ['onStartup'],
      activate(context) {
        context.events.on('tier.changed', () => {
          throw new Error('listener bug');
        });
      },
    });
    const kernel = createKernel({
      plugins: [noisy],
      logSink: (record) => void records.push(record),
    });
    await kernel.start();
    kernel.events.on('tier.changed', (event) => void received.push(event.customerId));
    kernel.events.emit('tier.changed', {
      customerId: 'C1',
      from: 'mid',
      to: 'high_end',
      direction: 'upgrade',
      basis: 620_000,
      asOf: '2026-10-31',
    });
    expect(received).toEqual(['C1']);
    const report = records.find((record) => record.level === 'error');
    expect(report?.pluginId).toBe('noisy');
    expect(report?.message).toMatch(/plugin "noisy" for "tier.changed" failed: listener bug/);
  });

  it('isolates a rejecting async listener too', async () => {
    const errors: string[] = [];
    const emitter = new Emitter<string>('async', (error) => void errors.push(error.message));
    const other = vi.fn();
    emitter.event(
      async () => {
        throw new Error('late failure');
      },
      { owner: 'async-plugin' },
    );
    emitter.event(other);
    emitter.fire('x');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(other).toHaveBeenCalledWith('x');
    expect(errors[0]).toMatch(/plugin "async-plugin".*late failure/);
  });
});

describe('deactivation', () => {
  it('disposes everything a plugin registered: contributions, listeners and plugin-scoped services', async () => {
    const disposed = vi.fn();
    const cacheToken = createToken<{ dispose(): void }>('TierCache');
    const plugin = definePlugin({
      id: 'tiering',
      version: '1.0.0',
      engines,
      contributes: { segmentStrategies: [{ id: 'tiering', label }] },
      services: [
        defineService({
          token: cacheToken,
          scope: 'plugin',
          factory: () => ({ dispose: disposed }),
        }),
      ],
      activate(context) {
        const strategy: SegmentStrategy = { segments: () => [], evaluate: () => new Map() };
        context.segmentStrategies.register('tiering', strategy);
        context.events.on('customer.upserted', () => {});
        context.services.resolve(cacheToken);
      },
    });
    const kernel = createKernel({ plugins: [plugin] });
    await kernel.segmentStrategies.get('tiering');
    expect(kernel.events.listenerCount('customer.upserted')).toBe(1);

    await kernel.deactivate('tiering');
    expect(kernel.plugin('tiering').state).toBe('inactive');
    expect(kernel.segmentStrategies.list()[0]?.active).toBe(false);
    expect(kernel.events.listenerCount('customer.upserted')).toBe(0);
    expect(disposed).toHaveBeenCalledOnce();

    // Used again, it activates again.
    await kernel.segmentStrategies.get('tiering');
    expect(kernel.plugin('tiering').state).toBe('active');
  });

  it('deactivates active dependants before the plugin they depend on', async () => {
    const order: string[] = [];
    const make = (id: string, dependsOn: string[] = []) =>
      definePlugin({
        id,
        version: '1.0.0',
        engines,
        dependsOn,
        activationEvents: ['onStartup'],
        deactivate: () => void order.push(id),
      });
    const kernel = createKernel({
      plugins: [make('base'), make('middle', ['base']), make('top', ['middle'])],
    });
    await kernel.start();
    await kernel.deactivate('base');
    expect(order).toEqual(['top', 'middle', 'base']);
  });

  it('awaits async disposal, and stops waiting after the plugin timeout', async () => {
    const records: LogRecord[] = [];
    const slowDisposed = vi.fn();
    const plugin = definePlugin({
      id: 'slow',
      version: '1.0.0',
      engines,
      disposeTimeoutMs: 50,
      activationEvents: ['onStartup'],
      activate(context) {
        context.subscriptions.add(
          toDisposable(async () => {
            await new Promise((resolve) => setTimeout(resolve, 10));
            slowDisposed();
          }),
        );
        context.subscriptions.add(toDisposable(() => new Promise<void>(() => {})));
      },
    });
    const kernel = createKernel({
      plugins: [plugin],
      logSink: (record) => void records.push(record),
    });
    await kernel.start();
    await kernel.deactivate('slow');
    expect(kernel.plugin('slow').state).toBe('inactive');
    const timeout = records.find((record) => record.level === 'error');
    expect(timeout?.message).toMatch(/did not finish within 50 ms/);
  });

  it('unregistering a plugin removes its declarations', async () => {
    const kernel = createKernel();
    const registration = kernel.registerPlugin(
      definePlugin({
        id: 'temp',
        version: '1.0.0',
        engines,
        contributes: { segmentStrategies: [{ id: 'temp', label }] },
      }),
    );
    expect(kernel.segmentStrategies.has('temp')).toBe(true);
    await registration.dispose();
    expect(kernel.segmentStrategies.has('temp')).toBe(false);
    expect(kernel.plugins()).toEqual([]);
  });

  it('disposing the kernel deactivates every plugin and refuses new work', async () => {
    const deactivated = vi.fn();
    const kernel = createKernel({
      plugins: [
        definePlugin({
          id: 'p',
          version: '1.0.0',
          engines,
          activationEvents: ['onStartup'],
          deactivate: deactivated,
        }),
      ],
    });
    await kernel.start();
    await kernel.dispose();
    expect(deactivated).toHaveBeenCalledOnce();
    expect(() => kernel.activate('p')).toThrow(/disposed/);
  });
});

describe('plugin state', () => {
  it('is namespaced per plugin', async () => {
    const seen: Record<string, unknown> = {};
    const writer = (id: string) =>
      definePlugin({
        id,
        version: '1.0.0',
        engines,
        activationEvents: ['onStartup'],
        activate(context) {
          context.state.set('lastRun', id);
          seen[id] = context.state.keys();
        },
      });
    const kernel = createKernel({ plugins: [writer('one'), writer('two')] });
    await kernel.start();
    expect(seen).toEqual({ one: ['lastRun'], two: ['lastRun'] });
  });
});
