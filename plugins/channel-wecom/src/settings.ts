// Settings of the WeCom (企业微信) channel: the corp's credentials for the customer-contact
// (客户联系) API and how the adapter calls it.
import { z } from 'zod';

export const wecomSettingsSchema = z.object({
  /** Overridable for a bank's outbound proxy or a test server. */
  baseUrl: z.url({ protocol: /^https?$/ }).default('https://qyapi.weixin.qq.com'),
  /** 企业ID. */
  corpId: z.string().min(1),
  /** The secret of 客户联系 (or of a self-built app allowed to call it). */
  corpSecret: z.string().min(1),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  /** Fetch a new access token this long before the old one expires. */
  tokenRefreshMarginSec: z.number().int().min(0).max(3600).default(300),
  /**
   * The idempotency key travels in this header. WeCom itself ignores it; a bank's egress proxy or a
   * test server can drop duplicates by it.
   */
  idempotencyHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/)
    .default('X-Kequn-Idempotency-Key'),
  /** The bank's WeCom API quota, in calls per second; the dispatcher never exceeds it. */
  ratePerSecond: z.number().positive().default(20),
  /** More errcodes to treat as permanent, beyond the built-in ones. */
  permanentErrcodes: z.array(z.number().int()).default([]),
});
export type WecomSettings = z.infer<typeof wecomSettingsSchema>;
export type WecomSettingsInput = z.input<typeof wecomSettingsSchema>;
