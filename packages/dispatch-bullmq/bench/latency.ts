// Send latencies of a channel adapter, recorded around each `send` (and each `sendBatch`, once per
// message it carried), for the p99 the bench prints.
import type { ChannelAdapter } from '@kequn/core';

export class LatencyRecorder {
  readonly samples: number[] = [];

  wrap(adapter: ChannelAdapter): ChannelAdapter {
    const wrapped: ChannelAdapter = {
      ...adapter,
      capabilities: adapter.capabilities,
      health: () => adapter.health(),
      send: async (message, recipient, options) => {
        const started = performance.now();
        try {
          return await adapter.send(message, recipient, options);
        } finally {
          this.samples.push(performance.now() - started);
        }
      },
    };
    const sendBatch = adapter.sendBatch?.bind(adapter);
    if (sendBatch === undefined) return wrapped;
    return {
      ...wrapped,
      // Every message of a batch waited for the whole request: one sample each.
      sendBatch: async (items, options) => {
        const started = performance.now();
        try {
          return await sendBatch(items, options);
        } finally {
          const elapsed = performance.now() - started;
          for (let index = 0; index < items.length; index++) this.samples.push(elapsed);
        }
      },
    };
  }
}

/** The value at quantile `q` (0..1) of the samples, in milliseconds. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
