// Template: a segment strategy — two segments of payroll customers (代发工资客户), split by assets,
// written as rules of @kequn/segments so they can be explained, sized and edited like any group.
import type { PluginName } from '../names.js';
import type { PluginTemplate } from './template.js';

function source(name: PluginName): string {
  const { identifier, typeName, pluginId, packageName, constant } = name;
  return `// ${packageName} — a Kequn segment strategy: payroll customers (代发工资客户) split by assets into
// those still growing their balance with the bank and those already established, so managers can
// plan deepening campaigns for the first and retention for the second.
import { definePlugin } from '@kequn/core';
import { createRuleStrategy, type Rule, type RuleStrategy } from '@kequn/segments';
import { z } from 'zod';

export const ${identifier}SettingsSchema = z.strictObject({
  /** Assets (CNY) from which a payroll customer counts as established. */
  assetFloor: z.number().nonnegative().default(50_000),
});
export type ${typeName}Settings = z.infer<typeof ${identifier}SettingsSchema>;

export const ${constant}_STRATEGY = '${pluginId}';
export const GROWING_SEGMENT = 'payroll-growing';
export const ESTABLISHED_SEGMENT = 'payroll-established';

/** Payroll customers: their salary is paid through the bank, so an employer is on file. */
const payrollCustomer: Rule = { attribute: 'behaviour.payrollEmployerId', op: 'isNotNull' };

/** The two rules; they never overlap, because one asks for less than the floor and one for at least it. */
export function ${identifier}Rules(settings: ${typeName}Settings): { growing: Rule; established: Rule } {
  return {
    growing: { all: [payrollCustomer, { attribute: 'assets.currentAum', op: 'lt', value: settings.assetFloor }] },
    established: { all: [payrollCustomer, { attribute: 'assets.currentAum', op: 'gte', value: settings.assetFloor }] },
  };
}

export function create${typeName}Strategy(settings: ${typeName}Settings): RuleStrategy {
  const rules = ${identifier}Rules(settings);
  return createRuleStrategy({
    segments: [
      { id: GROWING_SEGMENT, label: { 'zh-CN': '代发客户（资产提升中）', en: 'Payroll customers, growing' }, rule: rules.growing },
      { id: ESTABLISHED_SEGMENT, label: { 'zh-CN': '代发客户（资产稳定）', en: 'Payroll customers, established' }, rule: rules.established },
    ],
  });
}

export const ${identifier}Plugin = definePlugin({
  id: '${pluginId}',
  version: '0.1.0',
  displayName: { 'zh-CN': '代发客户分群', en: 'Payroll customer segments' },
  description: {
    'zh-CN': '把代发工资客户按资产分为资产提升中与资产稳定两个客群。',
    en: 'Splits payroll customers by assets into those still growing and those established.',
  },
  engines: { kequn: '^1' },
  settings: ${identifier}SettingsSchema,
  contributes: {
    segmentStrategies: [{ id: ${constant}_STRATEGY, label: { 'zh-CN': '代发客户分群', en: 'Payroll segments' }, exclusive: true }],
    settings: [{ id: 'assetFloor', label: { 'zh-CN': '资产稳定门槛(元)', en: 'Established from (CNY)' } }],
  },
  activate(context) {
    context.segmentStrategies.register(${constant}_STRATEGY, create${typeName}Strategy(context.settings));
  },
});

export default ${identifier}Plugin;
`;
}

function test(name: PluginName): string {
  const { identifier, pluginId, constant } = name;
  const strategy = `${constant}_STRATEGY`;
  return `import { describe, expect, it } from 'vitest';
import { createTestKernel } from '@kequn/testing';
import { ESTABLISHED_SEGMENT, GROWING_SEGMENT, ${strategy}, ${identifier}Plugin } from '../src/index.js';

describe('payroll customer segments', () => {
  it('puts every payroll customer in exactly one segment, split at the asset floor', async () => {
    const t = await createTestKernel({ plugins: [${identifier}Plugin], customers: 2000 });
    const memberships = await t.model.evaluate(${strategy});
    const table = t.model.table;
    const growing: number[] = [];
    const established: number[] = [];
    for (let row = 0; row < table.size; row++) {
      if (table.value(row, 'behaviour.payrollEmployerId') === null) continue;
      const assets = Number(table.value(row, 'assets.currentAum'));
      (assets < 50_000 ? growing : established).push(row);
    }
    expect([...(memberships.get(GROWING_SEGMENT) ?? [])]).toEqual(growing);
    expect([...(memberships.get(ESTABLISHED_SEGMENT) ?? [])]).toEqual(established);
    expect(growing.length).toBeGreaterThan(0);
    expect(established.length).toBeGreaterThan(0);
    expect(t.errors()).toEqual([]);
    await t.dispose();
  });

  it('takes the floor from the plugin settings', async () => {
    const t = await createTestKernel({ plugins: [${identifier}Plugin], customers: 500, settings: { '${pluginId}': { assetFloor: 0 } } });
    const memberships = await t.model.evaluate(${strategy});
    expect(memberships.get(GROWING_SEGMENT)?.count()).toBe(0);
    expect(memberships.get(ESTABLISHED_SEGMENT)?.count()).toBeGreaterThan(0);
    await t.dispose();
  });
});
`;
}

function readme(name: PluginName): string {
  const { identifier } = name;
  return `A segment strategy: payroll customers (代发工资客户) split by assets into \`payroll-growing\` and
\`payroll-established\`, defined as rules of \`@kequn/segments\` — so they can be explained, sized and
compared with other groups like any segment.

\`\`\`ts
import { createKernel, CustomerModel } from '@kequn/core';
import { ${identifier}Plugin } from '${name.packageName}';

const kernel = createKernel({ plugins: [${identifier}Plugin], settings: { '${name.pluginId}': { assetFloor: 80_000 } } });
await kernel.start();
const model = new CustomerModel(kernel);
await model.load(customers, { asOf: '2026-06-30' });
const memberships = await model.evaluate('${name.pluginId}');
console.log(memberships.get('payroll-growing')?.count());
\`\`\`

Change the rules in \`${identifier}Rules\` (\`src/index.ts\`); any attribute of the customer table can be
used, including those other plugins contribute.`;
}

export const segmentStrategyTemplate: PluginTemplate = {
  summary: 'A Kequn segment strategy: payroll customers split by assets into growing and established',
  uses: ['@kequn/segments'],
  testUses: [],
  source,
  test,
  readme,
};
