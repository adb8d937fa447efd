// A small toolkit for channel adapters that talk HTTP to their peer (an SMS gateway, a push
// receiver): a deadline per request, Retry-After, reasons that name the peer but never the
// recipient, and a health state that follows what the peer did recently.
import type { ChannelHealth } from '@kequn/core';
import { Agent, request, type Dispatcher } from 'undici';

/** From this deadline up, undici's coarse timers (±0.5 s) keep it. */
const COARSE_DEADLINE_MS = 2_000;

/**
 * Kept-alive connections shared by every adapter in the process. undici's `request` costs a fraction
 * of `fetch` per call, which is what lets one dispatcher send thousands of messages a second.
 */
const sharedAgent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, connectTimeout: 10_000 });

export interface PeerRequest {
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  /**
   * The channel's own deadline: the peer must answer within this long. From 2 s up it is kept to
   * within half a second (undici's shared timers: the peer must start answering in time and not
   * fall silent for longer while sending its body); shorter ones exactly.
   */
  timeoutMs: number;
  /** The caller's cancellation (the dispatcher stopping), combined with the deadline. */
  signal?: AbortSignal | undefined;
  /** How reasons name the peer: "the SMS gateway", "the webhook receiver". */
  peer: string;
  /** Another undici dispatcher (a proxy agent, a client certificate); default: the shared keep-alive agent. */
  dispatcher?: Dispatcher;
}

/** What the peer answered. Read the body with `text()` or let it go with `discard()`, once. */
export interface PeerResponse {
  status: number;
  /** 2xx. */
  ok: boolean;
  header(name: string): string | undefined;
  text(): Promise<string>;
  discard(): Promise<void>;
}

/** The peer answered (any status), or why it did not, as a reason safe to store and log. */
export type PeerExchange = { answered: true; response: PeerResponse } | { answered: false; reason: string };

/**
 * One HTTP request with the channel's deadline, over kept-alive connections. Never throws: a
 * timeout, a cancellation or a connection error comes back as `{ answered: false, reason }`, which
 * an adapter maps to a retryable failure.
 */
export async function requestWithTimeout(url: string | URL, options: PeerRequest): Promise<PeerExchange> {
  // A deadline of a few seconds (the usual) runs on undici's own header and body timeouts, whose
  // shared timers tick every half second: far cheaper per request than a timer and an abort signal
  // each, and exact enough for seconds. A short deadline gets a precise signal of its own.
  const coarse = options.timeoutMs >= COARSE_DEADLINE_MS;
  const timeout = coarse ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, timeout].filter((signal): signal is AbortSignal => signal !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  try {
    const answer = await request(url, {
      method: options.method ?? 'GET',
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(signal === undefined ? {} : { signal }),
      ...(coarse ? { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs } : {}),
      dispatcher: options.dispatcher ?? sharedAgent,
    });
    return {
      answered: true,
      response: {
        status: answer.statusCode,
        ok: answer.statusCode >= 200 && answer.statusCode < 300,
        header(name) {
          const value = answer.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        text: () => answer.body.text(),
        discard: () => answer.body.dump(),
      },
    };
  } catch (error) {
    if (timeout?.aborted === true) return { answered: false, reason: `${options.peer} did not answer within ${options.timeoutMs} ms` };
    if (options.signal?.aborted === true) return { answered: false, reason: `the send to ${options.peer} was cancelled` };
    return { answered: false, reason: describeTransportFailure(error, options.peer, options.timeoutMs) };
  }
}

/** Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Why a request never got an answer, naming the peer but nothing about the recipient. */
export function describeTransportFailure(error: unknown, peer: string, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `${peer} did not answer within ${timeoutMs} ms`;
  if (error instanceof DOMException && error.name === 'AbortError') return `the send to ${peer} was cancelled`;
  const code = errorCode(error) ?? errorCode(error instanceof Error ? error.cause : undefined);
  if (code !== undefined && timeoutCodes.has(code)) return `${peer} did not answer within ${timeoutMs} ms`;
  return `could not reach ${peer} (${code ?? (error instanceof Error ? error.message : String(error))})`;
}

/** undici's codes for a peer that took too long: to connect, to answer, to finish the body. */
const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function errorCode(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Consecutive failed exchanges make the channel degraded, then down; one good answer heals it. */
export class HealthTracker {
  readonly #now: () => number;
  readonly #downAfter: number;
  #consecutiveFailures = 0;
  #detail: string | undefined;

  /** `downAfter`: consecutive failures after which the channel is down rather than degraded. */
  constructor(now: () => number = Date.now, downAfter = 3) {
    this.#now = now;
    this.#downAfter = downAfter;
  }

  succeeded(): void {
    this.#consecutiveFailures = 0;
    this.#detail = undefined;
  }

  failed(detail: string): void {
    this.#consecutiveFailures += 1;
    this.#detail = detail;
  }

  current(): ChannelHealth {
    const checkedAt = new Date(this.#now()).toISOString();
    if (this.#consecutiveFailures === 0) return { state: 'healthy', checkedAt };
    const state = this.#consecutiveFailures >= this.#downAfter ? 'down' : 'degraded';
    return { state, checkedAt, ...(this.#detail === undefined ? {} : { detail: this.#detail }) };
  }
}

/** GETs a health URL: 2xx healthy, another status degraded, no answer down. */
export async function probeHealth(url: string, timeoutMs: number, now: () => number = Date.now): Promise<ChannelHealth> {
  const exchange = await requestWithTimeout(url, { timeoutMs, peer: 'the health check' });
  const checkedAt = new Date(now()).toISOString();
  if (!exchange.answered) return { state: 'down', detail: exchange.reason, checkedAt };
  await exchange.response.discard();
  if (exchange.response.ok) return { state: 'healthy', checkedAt };
  return { state: 'degraded', detail: `the health check answered HTTP ${exchange.response.status}`, checkedAt };
}
