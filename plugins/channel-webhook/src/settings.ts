// Settings of the signed-webhook channel (app push through the bank's mobile-banking push service,
// or any system that takes JSON over HTTPS).
import { z } from 'zod';

export const webhookSettingsSchema = z.object({
  /** The receiver's endpoint. */
  url: z.url({ protocol: /^https?$/ }),
  /** Shared secret of the HMAC-SHA256 signature; the receiver holds the same one. */
  secret: z.string().min(32, 'use a shared secret of at least 32 characters'),
  /** Fixed headers every request carries, e.g. an API gateway's app key. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string()).default({}),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  ratePerSecond: z.number().positive().default(200),
  /** Longest text the receiver shows (a push notification's body); absent: no limit. */
  maxLength: z.number().int().positive().optional(),
  /** GET this URL for `health()`; without it health is judged from recent sends. */
  healthUrl: z.url({ protocol: /^https?$/ }).optional(),
});
export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;
export type WebhookSettingsInput = z.input<typeof webhookSettingsSchema>;
