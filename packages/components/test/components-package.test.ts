// Node-side checks of the package: size budget per element, the version stamp, and the segment
// builder's rule conversion (a property test: any rule the builder edits survives a round trip).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bundleWithOptionalPeers,
  measureElementSizes,
  overBudget,
} from '../scripts/size-budget.js';
import { KEQUN_COMPONENTS_VERSION, KEQUN_CONTEXT_LINE } from '../src/foundation/version.js';
import { localIssues, nodeOf, pathsOf, ruleOf } from '../src/elements/segment-rule.js';

describe('@kequn/components package', () => {
  it('keeps every element within its gzip budget on top of Lit (12 KB, the list 25 KB)', async () => {
    const sizes = await measureElementSizes();
    expect(sizes.map((size) => size.entry)).toContain('define/kq-customer-list');
    expect(sizes.length).toBe(12);
    expect(overBudget(sizes)).toEqual([]);
    // Lit's core must stay out of the measured chunks (the portal pays for it once).
    for (const size of sizes) expect(size.gzip).toBeGreaterThan(300);
  });

  it('keeps ECharts out of the chart elements until renderer="echarts" asks for it', async () => {
    // ECharts' own marker on every chart container; any copy of its core carries the string.
    const marker = '_echarts_instance_';
    for (const entry of ['define/kq-kpi-dashboard', 'define/kq-campaign-funnel']) {
      const chunks = await bundleWithOptionalPeers(entry);
      const [main, ...lazy] = [...chunks].sort((a, b) => Number(b.isEntry) - Number(a.isEntry));
      expect(main?.isEntry).toBe(true);
      expect(main?.code).not.toContain(marker);
      expect(main?.code).toMatch(/import\(/);
      expect(lazy.some((chunk) => chunk.code.includes(marker))).toBe(true);
    }
  });

  it('stamps the package version and its context line', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(KEQUN_COMPONENTS_VERSION).toBe(manifest.version);
    const [major, minor] = manifest.version.split('.');
    expect(KEQUN_CONTEXT_LINE).toBe(major === '0' ? `0.${minor}` : major);
  });
});

const condition = fc.record({
  attribute: fc.constantFrom('profile.age', 'assets.currentAum', 'profile.gender'),
  op: fc.constantFrom('eq', 'gte', 'lt', 'in'),
  value: fc.oneof(fc.integer(), fc.array(fc.integer(), { minLength: 1, maxLength: 3 })),
});
const events = fc.record({
  events: fc.record({
    type: fc.constantFrom('transaction', 'login'),
    window: fc.oneof(
      fc.record({ days: fc.integer({ min: 1, max: 365 }) }),
      fc.record({ months: fc.integer({ min: 1, max: 12 }) }),
    ),
    measure: fc.constantFrom('count', 'sum'),
    op: fc.constantFrom('gte', 'lt'),
    value: fc.integer({ min: 0, max: 100 }),
  }),
});
const { rule } = fc.letrec((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    events,
    tie('all'),
    tie('any'),
  ),
  all: fc.record({ all: fc.array(tie('rule'), { maxLength: 3 }) }),
  any: fc.record({ any: fc.array(tie('rule'), { maxLength: 3 }) }),
}));

describe('segment builder rule model', () => {
  it('converts any rule of groups, conditions and behaviours to its tree and back unchanged', () => {
    fc.assert(
      fc.property(rule, (value) => {
        expect(ruleOf(nodeOf(value))).toEqual(value);
      }),
    );
  });

  it('names nodes with the paths the server uses for sizes and issues', () => {
    const tree = nodeOf({
      all: [
        { attribute: 'profile.age', op: 'gte', value: 60 },
        { not: { any: [{ segment: 'x' }] } },
      ],
    });
    expect([...pathsOf(tree).values()]).toEqual(['rule', 'all[0]', 'all[1]', 'all[1].not.any[0]']);
  });

  it('flags a reversed range and an empty list before asking the server', () => {
    const tree = nodeOf({
      all: [
        { attribute: 'a.b', op: 'between', value: [9, 1] },
        { attribute: 'a.c', op: 'in', value: [] },
      ],
    });
    const catalogue = new Map([
      ['a.b', { id: 'a.b', type: 'number' as const, label: { 'zh-CN': 'b', en: 'b' } }],
      ['a.c', { id: 'a.c', type: 'enum' as const, label: { 'zh-CN': 'c', en: 'c' }, values: [] }],
    ]);
    expect([...localIssues(tree, catalogue).values()]).toEqual(['rangeReversed', 'valueMissing']);
  });
});
