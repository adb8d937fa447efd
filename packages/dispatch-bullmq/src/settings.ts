// The settings of a BullMQ dispatch worker: the dispatcher's own (retries, breaker, rate limits,
// lease), plus where Redis is, how the queues are named, and how the feeder and workers pace.
import { dispatcherSettingsSchema } from '@kequn/channels';
import { z } from 'zod';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export const bullmqWorkerSettingsSchema = dispatcherSettingsSchema
  .pick({ workerId: true, leaseMs: true, batchSize: true, concurrency: true, pollIntervalMs: true, retry: true, rateLimits: true, breaker: true, utcOffsetMinutes: true })
  .extend({
    /** Redis; default `KEQUN_REDIS_URL`, else redis://127.0.0.1:6379. */
    redisUrl: z.string().min(1).optional(),
    /** Queues are `<queueName>.<channel kind>` (one per channel, so that each has its own rate limit). */
    queueName: z
      .string()
      .min(1)
      .regex(/^[^:]+$/, 'BullMQ queue names cannot contain ":"')
      .default('kequn-outbox'),
    /** Run the feeder in this process. Several feeders are safe (claims never overlap); one is enough. */
    feeder: z.boolean().default(true),
    /**
     * The feeder stops claiming while this many messages wait in a channel's queue; lowered to what the
     * channel can send in half a lease, so that no message waits in the queue past its lease.
     */
    maxQueued: z.number().int().positive().default(5_000),
    /**
     * Messages per BullMQ job (fewer for a channel whose rate limit is lower). A worker sends a
     * job's messages `concurrency` at a time.
     */
    messagesPerJob: z.number().int().min(1).max(1_000).default(50),
    /** How long a worker holds a job before BullMQ deems it stalled (its process died) and hands it on. */
    lockDurationMs: z.number().int().min(1_000).default(30_000),
  });
export type BullmqWorkerSettings = z.infer<typeof bullmqWorkerSettingsSchema>;
export type BullmqWorkerSettingsInput = z.input<typeof bullmqWorkerSettingsSchema>;

export function redisUrlFrom(settings: Pick<BullmqWorkerSettings, 'redisUrl'>): string {
  return settings.redisUrl ?? process.env['KEQUN_REDIS_URL'] ?? DEFAULT_REDIS_URL;
}
