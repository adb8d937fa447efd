// The plugin lab: loads your strategy (my-strategy.ts) next to the tiering and featured-group
// plugins, runs it on a synthetic bank and prints sizes, overlaps and sample members.
import { createKernel, CustomerModel, type Bitset } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';
import { tieringPlugin } from '@kequn/plugin-tiering';
import { featuredGroupsPlugin } from '@kequn/plugin-featured-groups';
import { myStrategy } from './my-strategy.js';

const customers = Number(process.env.LAB_CUSTOMERS ?? 50_000);
const locale = process.env.LAB_LOCALE === 'en' ? 'en' : 'zh-CN';
const asOf = '2026-10-31';

const kernel = createKernel({ plugins: [tieringPlugin, featuredGroupsPlugin, myStrategy] });
await kernel.start();
const model = new CustomerModel(kernel);
await model.load(createSyntheticBank({ customers, seed: 7, asOf }).customers(), { asOf });

const strategyId = myStrategy.manifest.contributes.segmentStrategies?.[0]?.id ?? '';
const strategy = await kernel.segmentStrategies.get(strategyId);
const mine = await model.evaluate(strategyId);
const tiers = await model.evaluate('tiering');
const groups = await model.evaluate('featured-groups');

function overlapRow(members: Bitset, others: ReadonlyMap<string, Bitset>): string {
  return [...others]
    .map(([id, other]) => [id, members.and(other).count()] as const)
    .filter(([, count]) => count > 0)
    .map(([id, count]) => `${id} ${count}`)
    .join(' · ');
}

console.log(`${customers.toLocaleString()} customers, as of ${asOf}\n`);
for (const segment of strategy.segments()) {
  const members = mine.get(segment.id);
  if (members === undefined) continue;
  console.log(`■ ${segment.label[locale]} (${segment.id}): ${members.count().toLocaleString()}`);
  console.log(`  by tier:   ${overlapRow(members, tiers)}`);
  console.log(`  by group:  ${overlapRow(members, groups)}`);
  const sample = [...members].slice(0, 3).map((index) => model.table.idAt(index));
  console.log(`  e.g.       ${sample.join(', ')}\n`);
}
await kernel.dispose();
