// The script a bank's fresh project runs after `npm install`: plain Node ESM against the installed
// packages only. It prints one JSON line for the test to judge.
export const smokeScript = `
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createKernel, CustomerModel } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { tierIds, tieringPlugin } from '@kequn/plugin-tiering';

const logs = [];
const kernel = createKernel({ plugins: [tieringPlugin], logSink: (record) => logs.push(record) });
await kernel.start();
const bank = createSyntheticBank({ seed: 7, customers: 400 });
const model = new CustomerModel(kernel);
await model.load(bank.customers(), { asOf: bank.asOf });
const memberships = await model.evaluate('tiering');
const tiers = Object.fromEntries(tierIds.map((id) => [id, memberships.get(id)?.count() ?? 0]));
await kernel.dispose();

// @kequn/components is for browsers: only its package exports are resolved here, nothing is run.
const fileOf = (specifier) => fileURLToPath(import.meta.resolve(specifier));
const elementsManifest = JSON.parse(readFileSync(fileOf('@kequn/components/custom-elements.json'), 'utf8'));
const elements = elementsManifest.modules
  .flatMap((module) => module.exports ?? [])
  .filter((entry) => entry.kind === 'custom-element-definition')
  .map((entry) => entry.name);
const specifiers = ['@kequn/components', '@kequn/components/define/all', '@kequn/components/themes/default.css', ...elements.map((tag) => '@kequn/components/define/' + tag)];
const components = Object.fromEntries(specifiers.map((specifier) => [specifier, existsSync(fileOf(specifier))]));

console.log(JSON.stringify({ customers: model.table.size, tiers, errors: logs.filter((record) => record.level === 'error').length, elements, components }));
`;

export interface SmokeReport {
  customers: number;
  tiers: Record<string, number>;
  errors: number;
  elements: string[];
  components: Record<string, boolean>;
}
