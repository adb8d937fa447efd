import { describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { toEpochDay } from '@kequn/core';
import { EventStore, createSegmentEngine, tableAttributes, watchCustomerChanges } from '@kequn/segments';
import { dormantPlugin, dormantSegments, dormantSettingsSchema, DORMANT_SEGMENT, DORMANT_STRATEGY } from '../src/index.js';

describe('dormant customers', () => {
  it('selects exactly the customers without a recent transaction and with assets above the floor', async () => {
    const t = await createTestKernel({ plugins: [dormantPlugin], customers: 3000 });
    const table = t.model.table;
    const dormant = (await t.model.evaluate(DORMANT_STRATEGY)).get(DORMANT_SEGMENT);
    const cutoff = toEpochDay(table.asOf) - 180;
    const expected: number[] = [];
    for (let row = 0; row < table.size; row++) {
      const last = table.value(row, 'behaviour.lastTransactionDate');
      const aum = Number(table.value(row, 'assets.currentAum'));
      const inactive = last === null || toEpochDay(String(last)) < cutoff;
      if (inactive && aum >= 1000) expected.push(row);
    }
    expect([...(dormant ?? [])]).toEqual(expected);
    await t.dispose();
  });

  it('honours the window and floor from settings', async () => {
    const t = await createTestKernel({ plugins: [dormantPlugin], customers: 3000, settings: { dormant: { inactiveDays: 30, assetFloor: 0 } } });
    const strict = (await t.model.evaluate(DORMANT_STRATEGY)).get(DORMANT_SEGMENT)?.count() ?? 0;
    const t2 = await createTestKernel({ plugins: [dormantPlugin], customers: 3000 });
    const usual = (await t2.model.evaluate(DORMANT_STRATEGY)).get(DORMANT_SEGMENT)?.count() ?? 0;
    expect(strict).toBeGreaterThan(usual);
    await Promise.all([t.dispose(), t2.dispose()]);
  });

  it('judges on transaction events when given an event store', async () => {
    const t = await createTestKernel({ plugins: [], customers: 300 });
    const bank = t.bank;
    if (bank === undefined) throw new Error('the test kernel should have a synthetic bank');
    const table = t.model.table;
    const events = EventStore.build(table, [...bank.customers()].flatMap((customer) => [...bank.eventsOf(customer)]));
    const settings = dormantSettingsSchema.parse({ inactiveDays: 60 });
    const engine = createSegmentEngine({ segments: dormantSegments(settings, events), attributes: tableAttributes(table), events });
    const members = [...(engine.evaluate(table).get(DORMANT_SEGMENT) ?? [])];
    expect(members.length).toBeGreaterThan(0);
    for (const row of members) {
      const explained = engine.explain(table, table.idAt(row), DORMANT_SEGMENT);
      expect(explained.value).toBe(true);
    }
    const cutoff = toEpochDay(table.asOf) - 60;
    for (const row of members) {
      const recent = [...bank.eventsOf(row)].filter((event) => event.type === 'transaction' && toEpochDay(event.occurredAt.slice(0, 10)) >= cutoff);
      expect(recent).toEqual([]);
    }
    await t.dispose();
  });

  it('reports customers entering the segment when an upsert makes them dormant', async () => {
    const t = await createTestKernel({ plugins: [dormantPlugin], customers: 200 });
    const bank = t.bank;
    if (bank === undefined) throw new Error('the test kernel should have a synthetic bank');
    const strategy = await t.kernel.segmentStrategies.get(DORMANT_STRATEGY);
    const settings = dormantSettingsSchema.parse({});
    const engine = createSegmentEngine({ segments: dormantSegments(settings), attributes: tableAttributes(t.model.table) });
    engine.evaluate(t.model.table);
    const changes = t.record('segment.membershipChanged');
    watchCustomerChanges({ events: t.kernel.events, engine, strategyId: DORMANT_STRATEGY, table: () => t.model.table });
    const active = [...bank.customers()].find((customer) => customer.behaviour.lastTransactionAt !== undefined && customer.assets.currentAum >= 1000 && !(strategy.evaluate(t.model.table).get(DORMANT_SEGMENT)?.has(t.model.table.indexOf(customer.id) ?? -1) ?? false));
    if (active === undefined) throw new Error('the synthetic bank should have an active customer with assets');
    t.model.upsert({ ...active, behaviour: { ...active.behaviour, lastTransactionAt: '2025-01-01T10:00:00+08:00' } });
    expect(changes).toEqual([{ strategyId: DORMANT_STRATEGY, segmentId: DORMANT_SEGMENT, entered: [active.id], exited: [] }]);
    await t.dispose();
  });
});
