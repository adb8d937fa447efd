// Settings of dormant detection (休眠客户): how long without a qualifying transaction, and the
// asset floor below which an inactive account is not worth an activation campaign.
import { z } from 'zod';

export const dormantSettingsSchema = z.object({
  /** Days without a qualifying transaction. */
  inactiveDays: z.number().int().min(1).max(3650).default(180),
  /** Only customers holding at least this much (CNY) are worth activating. */
  assetFloor: z.number().nonnegative().default(1000),
  /** The balance compared with the floor. */
  assetAttribute: z.string().min(1).default('assets.currentAum'),
  /** The date attribute of the last qualifying transaction (used when no event store is given). */
  lastTransactionAttribute: z.string().min(1).default('behaviour.lastTransactionDate'),
});
export type DormantSettings = z.infer<typeof dormantSettingsSchema>;
