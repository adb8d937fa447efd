// The featured-groups plugin inside a kernel: memberships over a synthetic bank, groups a bank
// switches off, and settings errors that name the field.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernel, type SegmentMemberships } from '@kequn/core';
import { createTestKernel, type TestKernel } from '@kequn/testing';
import {
  FEATURED_GROUPS_ATTRIBUTE,
  featuredGroupIds,
  featuredGroupsOf,
  featuredGroupsPlugin,
  featuredGroupsSettingsSchema,
} from '../src/index.js';

function countsOf(memberships: SegmentMemberships): Map<string, number> {
  return new Map([...memberships].map(([group, members]) => [group, members.count()]));
}

describe('memberships over a 5,000-customer synthetic bank', () => {
  let t: TestKernel;
  let memberships: SegmentMemberships;

  beforeAll(async () => {
    t = await createTestKernel({ plugins: [featuredGroupsPlugin], customers: 5_000 });
    memberships = await t.model.evaluate('featured-groups');
  });
  afterAll(() => t.dispose());

  it('finds members for every one of the nine groups', () => {
    expect([...memberships.keys()]).toEqual([...featuredGroupIds]);
    for (const group of featuredGroupIds)
      expect(memberships.get(group)?.count(), group).toBeGreaterThan(0);
  });

  it('equals featuredGroupsOf() for every customer', () => {
    const settings = featuredGroupsSettingsSchema.parse({});
    const table = t.model.table;
    const disagreements: string[] = [];
    for (const customer of t.bank?.customers() ?? []) {
      const expected = featuredGroupsOf(customer, table.asOf, settings);
      const index = table.indexOf(customer.id) ?? -1;
      const actual = featuredGroupIds.filter(
        (group) => memberships.get(group)?.has(index) === true,
      );
      if (actual.join() !== expected.join())
        disagreements.push(`${customer.id}: ${actual.join()} ≠ ${expected.join()}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('lets customers be in more than one group', () => {
    const table = t.model.table;
    let inSeveral = 0;
    for (let index = 0; index < table.size; index++) {
      const groups = featuredGroupIds.filter(
        (group) => memberships.get(group)?.has(index) === true,
      );
      if (groups.length > 1) inSeveral += 1;
    }
    expect(inSeveral).toBeGreaterThan(0);
  });
});

describe('a bank can switch groups off', () => {
  const bankSize = 800;
  let baseline: Map<string, number>;

  beforeAll(async () => {
    const t = await createTestKernel({ plugins: [featuredGroupsPlugin], customers: bankSize });
    baseline = countsOf(await t.model.evaluate('featured-groups'));
    await t.dispose();
  });

  it('removes disabled groups from segments(), memberships and the attribute, leaving the others as they were', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray([...featuredGroupIds], { minLength: 1 }), async (disabled) => {
        const settings = Object.fromEntries(disabled.map((group) => [group, { enabled: false }]));
        const t = await createTestKernel({
          plugins: [featuredGroupsPlugin],
          customers: bankSize,
          settings: { 'featured-groups': settings },
        });
        try {
          const enabled = featuredGroupIds.filter((group) => !disabled.includes(group));
          const strategy = await t.kernel.segmentStrategies.get('featured-groups');
          const memberships = await t.model.evaluate('featured-groups');

          expect(strategy.segments().map((segment) => segment.id)).toEqual(enabled);
          expect([...memberships.keys()]).toEqual(enabled);
          for (const group of enabled)
            expect(memberships.get(group)?.count()).toBe(baseline.get(group));
          const storedDisabled: string[] = [];
          for (let index = 0; index < t.model.table.size; index++) {
            const stored = t.model.table.value(index, FEATURED_GROUPS_ATTRIBUTE);
            const storedGroups: readonly unknown[] = Array.isArray(stored) ? stored : [];
            storedDisabled.push(...disabled.filter((group) => storedGroups.includes(group)));
          }
          expect(storedDisabled).toEqual([]);
        } finally {
          await t.dispose();
        }
      }),
      { numRuns: 12 },
    );
  });
});

describe('featured-group settings', () => {
  function issuePaths(input: unknown): string[] {
    const result = featuredGroupsSettingsSchema.safeParse(input);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  }

  it('enables all nine groups by default, with the age lines of DOMAIN.md', () => {
    const settings = featuredGroupsSettingsSchema.parse({});
    for (const group of featuredGroupIds) expect(settings[group].enabled, group).toBe(true);
    expect(settings.elderly.minimumAge).toBe(60);
    expect([settings.young.minimumAge, settings.young.maximumAge]).toEqual([18, 35]);
  });

  it('names the field that is wrong', () => {
    expect(issuePaths({ young: { minimumAge: 30, maximumAge: 25 } })).toEqual(['young.maximumAge']);
    expect(issuePaths({ elderly: { minimumAge: -1 } })).toEqual(['elderly.minimumAge']);
    expect(issuePaths({ merchants: { occupations: ['astronaut'] } })).toEqual([
      'merchants.occupations.0',
    ]);
    expect(issuePaths({ payroll: { minimumMonthlyAmount: -100 } })).toEqual([
      'payroll.minimumMonthlyAmount',
    ]);
    expect(issuePaths({ women: { enabled: 'no' } })).toEqual(['women.enabled']);
  });

  it('stops the kernel from registering the plugin, naming plugin and field', () => {
    const attempt = () =>
      createKernel({
        plugins: [featuredGroupsPlugin],
        settings: { 'featured-groups': { young: { maximumAge: 16 } } },
        logSink: () => {},
      });
    expect(attempt).toThrow(/Settings for plugin "featured-groups" are invalid: young\.maximumAge/);
    expect(attempt).toThrow(
      expect.objectContaining({ code: 'KQ_PLUGIN_SETTINGS_INVALID', pluginId: 'featured-groups' }),
    );
  });
});
