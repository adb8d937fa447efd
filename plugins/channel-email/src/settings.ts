// Settings of the e-mail channel: the bank's SMTP relay and the sender the customer sees.
import { z } from 'zod';

export const emailSettingsSchema = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(587),
  /**
   * `implicit`: TLS from the first byte (port 465). `starttls`: upgrade, and refuse a relay that
   * cannot. `opportunistic`: upgrade when offered. `none`: plain text, for a relay on loopback only.
   */
  tls: z.enum(['implicit', 'starttls', 'opportunistic', 'none']).default('starttls'),
  /** Verify the relay's certificate; turn off only with a `ca` you trust instead. */
  rejectUnauthorized: z.boolean().default(true),
  /** The bank's own CA certificate (PEM) for an internal relay. */
  ca: z.string().optional(),
  auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  from: z.object({ address: z.email(), name: z.string().optional() }),
  /** The right-hand side of Message-IDs; defaults to the sender's domain. */
  messageIdDomain: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/)
    .optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** Keep connections open between messages. */
  pool: z.boolean().default(true),
  maxConnections: z.number().int().min(1).max(50).default(5),
  ratePerSecond: z.number().positive().default(20),
});
export type EmailSettings = z.infer<typeof emailSettingsSchema>;
export type EmailSettingsInput = z.input<typeof emailSettingsSchema>;
