// Server options with their defaults: limits, rate limiting and CORS.
import { z } from 'zod';

export const serverLimitsSchema = z.object({
  /** Largest request body accepted, in bytes. */
  bodyBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** Deepest JSON nesting of a segment rule. */
  ruleDepth: z.number().int().min(4).max(64).default(24),
  /** Most rule nodes (conditions and groups) in one rule. */
  ruleNodes: z.number().int().positive().default(500),
  /** Per-role export limits replacing those of the permission matrix (rolePolicies). */
  exportLimits: z.record(z.string(), z.number().int().nonnegative()).default({}),
});
export type ServerLimits = z.infer<typeof serverLimitsSchema>;

export const rateLimitSchema = z.object({
  /** Requests per second each user may sustain. */
  perSecond: z.number().positive().default(50),
  /** Requests a user may send at once before the rate applies. */
  burst: z.number().int().positive().default(100),
  enabled: z.boolean().default(true),
});

export const corsSchema = z.object({
  /** Origins allowed to call the API from a browser; none by default (same origin or the gateway). */
  origins: z.array(z.string().url().or(z.literal('*'))).default([]),
});

export const serverOptionsSchema = z.object({
  limits: serverLimitsSchema.default(serverLimitsSchema.parse({})),
  rateLimit: rateLimitSchema.default(rateLimitSchema.parse({})),
  cors: corsSchema.default(corsSchema.parse({})),
  /** Check every response against its schema before sending (on by default). */
  validateResponses: z.boolean().default(true),
});
export type ServerOptionsInput = z.input<typeof serverOptionsSchema>;
export type ServerOptions = z.infer<typeof serverOptionsSchema>;
