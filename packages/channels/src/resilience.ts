// The dispatcher's protections, each a small class driven by an injected clock: exponential
// backoff with full jitter, a token bucket per channel, and a circuit breaker per channel.

export interface RetryPolicy {
  /** Attempts before a message is dead-lettered (the first send counts). */
  maxAttempts: number;
  /** The ceiling of the first retry's delay; it doubles with each attempt. */
  baseMs: number;
  /** No delay exceeds this (unless the channel asks for longer with retryAfterMs). */
  maxMs: number;
}

/**
 * The delay before retrying after `attempt` failed attempts: uniformly random between 0 and
 * min(maxMs, baseMs·2^(attempt−1)) — "full jitter", so that messages failed together do not
 * come back together. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: () => number): number {
  const exponent = Math.min(Math.max(0, attempt - 1), 52);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.floor(Math.min(Math.max(random(), 0), 1 - Number.EPSILON) * ceiling);
}

/** A small seeded generator (mulberry32) for reproducible jitter in tests and simulations. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Tokens refill continuously at `ratePerSecond`, up to one second's worth (at least one). */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly capacity: number;
  #tokens: number;
  #updatedMs: number;

  constructor(ratePerSecond: number, nowMs: number) {
    this.ratePerSecond = ratePerSecond;
    this.capacity = Math.max(1, ratePerSecond);
    this.#tokens = this.capacity;
    this.#updatedMs = nowMs;
  }

  #refill(nowMs: number): void {
    if (nowMs <= this.#updatedMs) return;
    this.#tokens = Math.min(this.capacity, this.#tokens + ((nowMs - this.#updatedMs) / 1_000) * this.ratePerSecond);
    this.#updatedMs = nowMs;
  }

  /** Whole tokens available now. */
  available(nowMs: number): number {
    this.#refill(nowMs);
    return Math.floor(this.#tokens);
  }

  /** Takes up to `count` tokens; returns how many it took. */
  take(nowMs: number, count: number): number {
    const taken = Math.min(count, this.available(nowMs));
    this.#tokens -= taken;
    return taken;
  }

  /** When the next whole token is there (now, if one is). */
  readyAt(nowMs: number): number {
    this.#refill(nowMs);
    if (this.#tokens >= 1) return nowMs;
    return nowMs + Math.ceil(((1 - this.#tokens) / this.ratePerSecond) * 1_000);
  }
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerPolicy {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit waits before one probe message tries the channel again. */
  coolDownMs: number;
}

export type BreakerTransition = { to: 'open'; failures: number; reopened: boolean } | { to: 'closed' } | undefined;

/**
 * closed → open after `failureThreshold` consecutive failures → half-open after the cool-down, when
 * exactly one probe may go → closed when it succeeds, open again (a new cool-down) when it fails.
 */
export class CircuitBreaker {
  readonly policy: BreakerPolicy;
  #state: BreakerState = 'closed';
  #failures = 0;
  #openedAtMs = 0;
  #outageSinceMs: number | undefined;
  #probing = false;

  constructor(policy: BreakerPolicy) {
    this.policy = policy;
  }

  state(nowMs: number): BreakerState {
    if (this.#state === 'open' && nowMs >= this.#openedAtMs + this.policy.coolDownMs) this.#state = 'half_open';
    return this.#state;
  }

  /** How many messages may go now: all when closed, one probe when half-open, none when open. */
  admits(nowMs: number): 'all' | 'probe' | 'none' {
    const state = this.state(nowMs);
    if (state === 'closed') return 'all';
    if (state === 'half_open' && !this.#probing) return 'probe';
    return 'none';
  }

  /** Marks the probe as in flight, so a half-open circuit lets only one message through. */
  startProbe(): void {
    if (this.#state === 'half_open') this.#probing = true;
  }

  /** The probe batch is done; if its message never reached the channel, the next one may probe. */
  endProbe(): void {
    this.#probing = false;
  }

  /** When an open circuit lets a probe through. */
  readyAt(): number {
    return this.#openedAtMs + this.policy.coolDownMs;
  }

  /** Since when the channel has been unavailable, across failed probes; undefined when closed. */
  outageSince(): number | undefined {
    return this.#outageSinceMs;
  }

  /** The channel answered (accepted, or refused this one message): it is working. */
  recordSuccess(): BreakerTransition {
    this.#failures = 0;
    this.#probing = false;
    if (this.#state === 'closed') return undefined;
    this.#state = 'closed';
    this.#outageSinceMs = undefined;
    return { to: 'closed' };
  }

  recordFailure(nowMs: number): BreakerTransition {
    this.#failures += 1;
    const probeFailed = this.#state === 'half_open';
    this.#probing = false;
    if (this.#state === 'open') return undefined;
    if (!probeFailed && this.#failures < this.policy.failureThreshold) return undefined;
    this.#state = 'open';
    this.#openedAtMs = nowMs;
    this.#outageSinceMs ??= nowMs;
    return { to: 'open', failures: this.#failures, reopened: probeFailed };
  }
}
