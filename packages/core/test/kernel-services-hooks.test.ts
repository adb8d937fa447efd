import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createKernel,
  createToken,
  defineContributionPoint,
  definePlugin,
  defineService,
  isKequnError,
  kernelToken,
  pluginManifestJsonSchema,
  parsePluginManifest,
  requireMethods,
  type Kernel,
} from '../src/index.js';

const engines = { kequn: '^1' };
const label = { 'zh-CN': '报表', en: 'Report' };

describe('services (DI without decorator metadata)', () => {
  interface Clock {
    today(): string;
  }
  interface Calendar {
    isWorkday(date: string): boolean;
    clock: Clock;
  }
  const clockToken = createToken<Clock>('Clock');
  const calendarToken = createToken<Calendar>('Calendar');

  it('builds a kernel-scoped service from its declared dependencies, once', () => {
    const factory = vi.fn((clock: Clock) => ({ isWorkday: () => true, clock }));
    const kernel = createKernel({
      services: [
        defineService({ token: clockToken, factory: () => ({ today: () => '2026-11-23' }) }),
        defineService({ token: calendarToken, deps: [clockToken], factory }),
      ],
    });
    const calendar = kernel.services.resolve(calendarToken);
    expect(calendar.clock.today()).toBe('2026-11-23');
    expect(kernel.services.resolve(calendarToken)).toBe(calendar);
    expect(factory).toHaveBeenCalledOnce();
    expect(kernel.services.resolve(kernelToken)).toBe(kernel);
  });

  it('names the missing service', () => {
    const kernel = createKernel();
    expect(() => kernel.services.resolve(clockToken)).toThrow(
      /No service is registered for "Clock"/,
    );
  });

  it('gives each plugin its own plugin-scoped instance and disposes it with the plugin; kernel scope outlives plugins', async () => {
    const counterToken = createToken<{ id: number; dispose(): void }>('Counter');
    const sharedToken = createToken<{ dispose(): void }>('Shared');
    let next = 0;
    const disposedCounters: number[] = [];
    const sharedDisposed = vi.fn();
    const seen: Record<string, unknown> = {};
    const user = (id: string) =>
      definePlugin({
        id,
        version: '1.0.0',
        engines,
        activationEvents: ['onStartup'],
        activate(context) {
          seen[id] = context.services.resolve(counterToken).id;
          seen[`${id}-shared`] = context.services.resolve(sharedToken);
        },
      });
    const kernel = createKernel({
      plugins: [user('a'), user('b')],
      services: [
        defineService({
          token: counterToken,
          scope: 'plugin',
          factory: () => {
            const id = ++next;
            return { id, dispose: () => void disposedCounters.push(id) };
          },
        }),
        defineService({ token: sharedToken, factory: () => ({ dispose: sharedDisposed }) }),
      ],
    });
    await kernel.start();
    expect(seen.a).not.toBe(seen.b);
    expect(seen['a-shared']).toBe(seen['b-shared']);
    await kernel.deactivate('a');
    expect(disposedCounters).toEqual([seen.a]);
    expect(sharedDisposed).not.toHaveBeenCalled();
    await kernel.dispose();
    expect(sharedDisposed).toHaveBeenCalledOnce();
  });

  it('refuses registering the same token twice in one scope', () => {
    expect(() =>
      createKernel({
        services: [
          defineService({ token: clockToken, factory: () => ({ today: () => 'a' }) }),
          defineService({ token: clockToken, factory: () => ({ today: () => 'b' }) }),
        ],
      }),
    ).toThrow(/already registered/);
  });
});

describe('plugin-owned contribution points and hook semantics', () => {
  interface ReportTemplate {
    render?(customerCount: number): string | undefined | Promise<string | undefined>;
  }
  const reportTemplates = defineContributionPoint<
    { id: string; label: { 'zh-CN': string; en: string } },
    ReportTemplate
  >({
    id: 'acme.reportTemplates',
    activationEvent: 'onReportTemplate',
    declaration: z.object({
      id: z.string(),
      label: z.object({ 'zh-CN': z.string(), en: z.string() }),
    }),
    checkImplementation: (implementation) =>
      typeof implementation === 'object' ? undefined : 'expected an object',
  });

  function reportPlugin(id: string, render: ReportTemplate['render']) {
    return definePlugin({
      id,
      version: '1.0.0',
      engines,
      dependsOn: ['acme.reports'],
      contributes: { 'acme.reportTemplates': [{ id, label }] },
      activate(context) {
        context.contribute(reportTemplates, id, render === undefined ? {} : { render });
      },
    });
  }

  function kernelWith(...plugins: ReturnType<typeof reportPlugin>[]): Kernel {
    const owner = definePlugin({
      id: 'acme.reports',
      version: '1.0.0',
      engines,
      extensionPoints: [reportTemplates],
    });
    return createKernel({ plugins: [...plugins, owner] });
  }

  it('lets a plugin define a point that others contribute to (declared before the owner registers)', async () => {
    const kernel = kernelWith(reportPlugin('monthly', (n) => `monthly:${n}`));
    const templates = kernel.contributions(reportTemplates);
    expect(templates.list().map((entry) => entry.declaration.id)).toEqual(['monthly']);
    const template = await templates.get('monthly');
    expect(await template.render?.(3)).toBe('monthly:3');
    expect(kernel.plugin('acme.reports').state).toBe('active');
  });

  it('first: returns the first non-empty answer and skips contributions without the hook', async () => {
    const late = vi.fn(() => 'late');
    const kernel = kernelWith(
      reportPlugin('silent', undefined),
      reportPlugin('empty', () => undefined),
      reportPlugin('answer', (n) => `answer:${n}`),
      reportPlugin('late', late),
    );
    const answer = await kernel
      .contributions(reportTemplates)
      .invoke<string>('render', [7], 'first');
    expect(answer).toBe('answer:7');
    const none = await kernel.contributions(reportTemplates).invoke('missingHook', [], 'first');
    expect(none).toBeUndefined();
    expect(late).not.toHaveBeenCalled();
  });

  it('sequential and parallel: every implementation answers, in registration order', async () => {
    const kernel = kernelWith(
      reportPlugin('one', () => 'one'),
      reportPlugin('two', async () => 'two'),
    );
    const templates = kernel.contributions(reportTemplates);
    expect(await templates.invoke('render', [1], 'sequential')).toEqual(['one', 'two']);
    expect(await templates.invoke('render', [1], 'parallel')).toEqual(['one', 'two']);
  });

  it('tags a hook error with plugin, hook and contribution', async () => {
    const kernel = kernelWith(
      reportPlugin('fine', () => 'fine'),
      reportPlugin('faulty', () => {
        throw new Error('division by zero');
      }),
    );
    const error = await kernel
      .contributions(reportTemplates)
      .invoke('render', [0], 'parallel')
      .catch((e: unknown) => e);
    expect(isKequnError(error, 'KQ_PLUGIN_HOOK_FAILED')).toBe(true);
    expect(error).toMatchObject({ pluginId: 'faulty', hook: 'render', contributionId: 'faulty' });
    expect((error as Error).message).toBe(
      'Plugin "faulty" failed in hook "render" of acme.reportTemplates "faulty": division by zero',
    );
  });

  it('requireMethods names what is missing', () => {
    expect(requireMethods('send', 'health')({ send() {} })).toBe(
      'the implementation lacks health()',
    );
    expect(requireMethods('send')({ send() {} })).toBeUndefined();
  });
});

describe('manifests', () => {
  it('rejects an invalid manifest with the plugin id and every bad field', () => {
    let error: unknown;
    try {
      parsePluginManifest({
        id: 'bad-plugin',
        version: 'one',
        engines: { kequn: 'whatever' },
        contributes: { segmentStrategies: [{ id: 'x' }] },
      });
    } catch (caught) {
      error = caught;
    }
    expect(isKequnError(error, 'KQ_MANIFEST_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/^Plugin "bad-plugin" has an invalid manifest/);
    expect(message).toContain('version: expected a semantic version');
    expect(message).toContain('engines.kequn: expected a semver range');
    expect(message).toContain('contributes.segmentStrategies.0.label');
  });

  it('rejects duplicate contribution ids inside one manifest', () => {
    expect(() =>
      definePlugin({
        id: 'dup',
        version: '1.0.0',
        engines,
        contributes: {
          channels: [
            { id: 'sms', kind: 'sms', label },
            { id: 'sms', kind: 'sms', label },
          ],
        },
      }),
    ).toThrow(/contributes\.channels\.1\.id: duplicate id "sms"/);
  });

  it('exports the manifest schema as JSON Schema for editors', () => {
    const schema = pluginManifestJsonSchema() as {
      required?: string[];
      properties?: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'version', 'engines']));
    expect(Object.keys(schema.properties?.contributes?.properties ?? {})).toEqual(
      expect.arrayContaining([
        'segmentStrategies',
        'campaignTypes',
        'channels',
        'operators',
        'attributes',
        'settings',
        'components',
      ]),
    );
  });

  it('refuses something that was not made by definePlugin', () => {
    const kernel = createKernel();
    expect(() => kernel.registerPlugin({ manifest: { id: 'raw' } } as never)).toThrow(
      /"raw" is not a Kequn plugin/,
    );
  });
});
