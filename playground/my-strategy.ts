// Your segment strategy. Edit it and run `pnpm playground` to see its sizes, its overlap with the
// tiers and featured groups, and sample members — on a synthetic bank, before you touch real data.
//
// This example finds "maturity re-marketing" targets (产品到期再营销): customers with products
// maturing in the next 30 days, split by how much is maturing.
import { definePlugin, valueMemberships } from '@kequn/core';
import { z } from 'zod';

const bands = ['large', 'small'] as const;

export const myStrategy = definePlugin({
  id: 'lab.maturing',
  version: '0.1.0',
  engines: { kequn: '^1' },
  settings: z.object({ largeAmount: z.number().positive().default(200_000) }),
  contributes: {
    attributes: [
      {
        id: 'lab.maturingBand',
        type: 'enum',
        piClass: 'C1',
        label: { 'zh-CN': '到期金额档', en: 'Maturing amount band' },
        values: [
          { value: 'large', label: { 'zh-CN': '大额到期', en: 'Large maturity' } },
          { value: 'small', label: { 'zh-CN': '小额到期', en: 'Small maturity' } },
        ],
      },
    ],
    segmentStrategies: [
      { id: 'lab.maturing', label: { 'zh-CN': '到期再营销', en: 'Maturity re-marketing' } },
    ],
  },
  activate(context) {
    const { largeAmount } = context.settings;
    context.attributes.register('lab.maturingBand', {
      read(customer, { asOf }) {
        const horizon = addDays(asOf, 30);
        const maturing = customer.holdings
          .filter(
            (holding) =>
              holding.maturityDate !== undefined &&
              holding.maturityDate >= asOf &&
              holding.maturityDate <= horizon,
          )
          .reduce((sum, holding) => sum + holding.amount, 0);
        if (maturing === 0) return null;
        return maturing >= largeAmount ? 'large' : 'small';
      },
    });
    context.segmentStrategies.register('lab.maturing', {
      segments: () => [
        { id: 'large', label: { 'zh-CN': '大额到期', en: 'Large maturity' } },
        { id: 'small', label: { 'zh-CN': '小额到期', en: 'Small maturity' } },
      ],
      evaluate: (table) => valueMemberships(table, 'lab.maturingBand', bands),
    });
  },
});

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
