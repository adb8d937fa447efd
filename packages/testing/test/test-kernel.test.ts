// createTestKernel: plugins started, logs captured rather than printed, events recorded on request,
// customers loaded from a synthetic bank or from the caller, and everything disposed at the end.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { definePlugin } from '@kequn/core';
import { createSyntheticBank, createTestKernel } from '../src/index.js';

const engines = { kequn: '^1' };

/** A plugin that logs at every level when it starts and stops. */
function chattyPlugin(onDeactivate: () => void = () => {}) {
  return definePlugin({
    id: 'chatty',
    version: '1.0.0',
    engines,
    activationEvents: ['onStartup'],
    settings: z.object({ greeting: z.string().default('你好') }),
    activate(context) {
      context.logger.debug('debugging', { step: 1 });
      context.logger.info(context.settings.greeting);
      context.logger.warn('running low on coffee');
      context.logger.error('something went wrong', new Error('boom'));
    },
    deactivate: onDeactivate,
  });
}

const failingPlugin = definePlugin({
  id: 'failing',
  version: '1.0.0',
  engines,
  activationEvents: ['onStartup'],
  activate() {
    throw new Error('cannot reach the core banking system');
  },
});

describe('createTestKernel', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('captures every log record, tagged with its plugin, and prints nothing', async () => {
    const printed = (['log', 'debug', 'info', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => {}),
    );
    const t = await createTestKernel({
      plugins: [chattyPlugin()],
      settings: { chatty: { greeting: '早上好' } },
    });

    expect(t.logs.map((record) => [record.level, record.pluginId, record.message])).toEqual([
      ['debug', 'chatty', 'debugging'],
      ['info', 'chatty', '早上好'],
      ['warn', 'chatty', 'running low on coffee'],
      ['error', 'chatty', 'something went wrong'],
    ]);
    expect(t.errors().map((record) => record.message)).toEqual(['something went wrong']);
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    await t.dispose();
  });

  it('keeps a plugin that fails to activate in errors(), not on the console', async () => {
    const printedErrors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const t = await createTestKernel({ plugins: [failingPlugin] });

    expect(t.kernel.plugin('failing').state).toBe('failed');
    expect(t.errors()).toEqual([
      expect.objectContaining({
        pluginId: 'failing',
        error: expect.objectContaining({ code: 'KQ_PLUGIN_ACTIVATION_FAILED' }),
      }),
    ]);
    expect(printedErrors).not.toHaveBeenCalled();
    await t.dispose();
  });

  it('records a domain event from the moment record() is called', async () => {
    const t = await createTestKernel({ plugins: [], customers: 3 });
    const customer = t.bank?.customerAt(1);
    if (customer === undefined) throw new Error('the test kernel has no synthetic bank');

    t.model.upsert({ ...customer, doNotContact: true });
    const upserts = t.record('customer.upserted');
    const removals = t.record('customer.removed');
    t.model.upsert({ ...customer, doNotContact: false });
    t.model.remove(customer.id);

    expect(upserts).toHaveLength(1);
    expect(upserts[0]).toMatchObject({ customerId: customer.id, inserted: false });
    expect(upserts[0]?.changes).toEqual([
      { attributeId: 'doNotContact', before: true, after: false },
    ]);
    expect(removals).toEqual([{ customerId: customer.id }]);
    await t.dispose();
  });

  it('loads a synthetic bank of the requested size, seed and as-of date', async () => {
    const t = await createTestKernel({ plugins: [], customers: 25, seed: 7, asOf: '2026-06-30' });
    const expected = createSyntheticBank({ customers: 25, seed: 7, asOf: '2026-06-30' });

    expect(t.bank?.customerAt(24)).toEqual(expected.customerAt(24));
    expect(t.model.table.liveCount).toBe(25);
    expect(t.model.table.asOf).toBe('2026-06-30');
    expect([...expected.customers()].map((customer) => t.model.table.indexOf(customer.id))).toEqual(
      Array.from({ length: 25 }, (_unused, index) => index),
    );
    await t.dispose();
  });

  it('loads the customers it is given, and no bank', async () => {
    const source = createSyntheticBank({ customers: 40, seed: 3 });
    const chosen = [...source.customers()].filter((_customer, index) => index % 4 === 0);
    const t = await createTestKernel({ plugins: [], customers: chosen });

    expect(t.bank).toBeUndefined();
    expect(t.model.table.liveCount).toBe(chosen.length);
    for (const customer of chosen) expect(t.model.table.indexOf(customer.id)).toBeDefined();
    expect(t.model.table.indexOf(source.customerAt(1).id)).toBeUndefined();
    await t.dispose();
  });

  it('loads nothing when no customers are asked for', async () => {
    const t = await createTestKernel({ plugins: [] });
    expect(t.bank).toBeUndefined();
    expect(t.model.loaded).toBe(false);
    await t.dispose();
  });

  it('disposes the kernel: plugins deactivate and the kernel refuses further work', async () => {
    const deactivated = vi.fn();
    const t = await createTestKernel({ plugins: [chattyPlugin(deactivated)] });
    const deactivations = t.record('plugin.deactivated');
    expect(t.kernel.plugin('chatty').state).toBe('active');

    await t.dispose();

    expect(deactivated).toHaveBeenCalledOnce();
    expect(deactivations).toEqual([{ pluginId: 'chatty' }]);
    expect(t.kernel.plugin('chatty').state).toBe('inactive');
    expect(() => t.kernel.activate('chatty')).toThrow(
      expect.objectContaining({ code: 'KQ_KERNEL_DISPOSED' }),
    );
  });
});
