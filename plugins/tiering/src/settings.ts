// Tiering settings. Every number is a default from DOMAIN.md §1 that a bank changes in configuration.
import { z } from 'zod';

export const tierIds = ['potential', 'effective', 'mid', 'high_end', 'private'] as const;
export type TierId = (typeof tierIds)[number];

export const tierLabels: Readonly<Record<TierId, { 'zh-CN': string; en: string }>> = {
  potential: { 'zh-CN': '潜力客户', en: 'Potential' },
  effective: { 'zh-CN': '有效客户', en: 'Effective' },
  mid: { 'zh-CN': '中端客户', en: 'Mid-market' },
  high_end: { 'zh-CN': '高端客户', en: 'High-end' },
  private: { 'zh-CN': '私行客户', en: 'Private banking' },
};

const amount = z.number().finite().positive();

export const tieringSettingsSchema = z
  .object({
    /** Lower bounds (CNY, average daily AUM) of every tier above "potential". */
    thresholds: z
      .object({
        effective: amount.default(10_000),
        mid: amount.default(50_000),
        high_end: amount.default(500_000),
        private: amount.default(6_000_000),
      })
      .default({ effective: 10_000, mid: 50_000, high_end: 500_000, private: 6_000_000 }),
    /** The basis is the mean of the last N monthly average daily balances (日均资产), not a single-day spike. */
    windowMonths: z.number().int().min(1).max(24).default(3),
    /** A customer moves down only after this many consecutive months below their tier's floor. */
    downgradeAfterMonths: z.number().int().min(1).max(12).default(2),
    /** A customer moves up after this many consecutive months at or above the next floor. */
    upgradeAfterMonths: z.number().int().min(1).max(12).default(1),
  })
  .superRefine((settings, context) => {
    const { thresholds } = settings;
    const order: (keyof typeof thresholds)[] = ['effective', 'mid', 'high_end', 'private'];
    for (let i = 1; i < order.length; i++) {
      const lower = order[i - 1];
      const upper = order[i];
      if (lower === undefined || upper === undefined) continue;
      if (thresholds[upper] <= thresholds[lower]) {
        context.addIssue({
          code: 'custom',
          path: ['thresholds', upper],
          message: `must be above thresholds.${lower} (${thresholds[lower]}), got ${thresholds[upper]}`,
        });
      }
    }
  });

export type TieringSettings = z.infer<typeof tieringSettingsSchema>;
