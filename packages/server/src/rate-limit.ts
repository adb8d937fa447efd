// Per-user token buckets in memory: `burst` requests at once, refilled at `perSecond`. Enough for
// one server process; behind several, let the bank's gateway limit too.
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  /** Most users tracked at once; the least recently seen are forgotten first. */
  maxUsers?: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #options: Required<RateLimitOptions>;

  constructor(options: RateLimitOptions) {
    this.#options = { maxUsers: 100_000, ...options };
  }

  /** Takes a token for the user; returns 0 when allowed, else the seconds to wait. */
  take(userKey: string, nowMs: number): number {
    const { perSecond, burst } = this.#options;
    const bucket = this.#buckets.get(userKey) ?? { tokens: burst, updatedMs: nowMs };
    bucket.tokens = Math.min(
      burst,
      bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * perSecond,
    );
    bucket.updatedMs = nowMs;
    // Re-inserting keeps the map in least-recently-seen order for eviction.
    this.#buckets.delete(userKey);
    this.#buckets.set(userKey, bucket);
    this.#evict();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }

  #evict(): void {
    while (this.#buckets.size > this.#options.maxUsers) {
      const oldest = this.#buckets.keys().next();
      if (oldest.done === true) return;
      this.#buckets.delete(oldest.value);
    }
  }
}
