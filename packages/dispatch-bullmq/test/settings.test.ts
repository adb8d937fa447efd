// What a worker accepts before it connects anywhere, and how claims become job ids.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bullmqWorkerSettingsSchema, claimFence, jobIdFor, queueNameFor, startBullmqWorker } from '../src/index.js';
import { createMemoryStore } from '@kequn/core';

describe('BullMQ worker settings', () => {
  it('takes the dispatcher’s defaults and names queues per channel', () => {
    const settings = bullmqWorkerSettingsSchema.parse({});
    expect(settings).toMatchObject({ queueName: 'kequn-outbox', feeder: true, maxQueued: 5_000, lockDurationMs: 30_000, leaseMs: 300_000, concurrency: 16 });
    expect(settings.retry).toEqual({ maxAttempts: 5, baseMs: 1_000, maxMs: 300_000 });
    expect(queueNameFor('kequn-outbox', 'sms')).toBe('kequn-outbox.sms');
    expect(claimFence('kequn-outbox')).toBe('bullmq:kequn-outbox');
  });

  it('refuses a queue name BullMQ cannot take, naming the setting, before it connects', async () => {
    await expect(startBullmqWorker({ store: createMemoryStore(), channels: {}, queueName: 'kequn:outbox' })).rejects.toMatchObject({
      code: 'KQ_BULLMQ_SETTINGS_INVALID',
      message: expect.stringContaining('queueName: BullMQ queue names cannot contain ":"'),
    });
  });
});

describe('job ids', () => {
  it('are one per claim: distinct for distinct (message, attempt) pairs, and free of ":"', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.nat(100), fc.nat(100), (first, second, a, b) => {
        const one = jobIdFor(first, a);
        expect(one.includes(':')).toBe(false);
        expect(one === jobIdFor(second, b)).toBe(first === second && a === b);
      }),
    );
  });
});
