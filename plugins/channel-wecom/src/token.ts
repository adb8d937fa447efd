// The access token (access_token) cache: one token per corp secret, fetched once however many
// sends ask at the same time, refreshed before it expires and whenever WeCom says it is no longer valid.
import { z } from 'zod';
import { KequnError } from '@kequn/core';

const tokenAnswerSchema = z.object({
  errcode: z.number().int().default(0),
  errmsg: z.string().default(''),
  access_token: z.string().optional(),
  expires_in: z.number().int().positive().optional(),
});

/** WeCom answered with a non-zero errcode. */
export class WecomApiError extends KequnError {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    endpoint: string,
  ) {
    super('KQ_WECOM_API_ERROR', `WeCom ${endpoint} answered errcode ${errcode} (${errmsg})`, {
      details: { errcode, endpoint },
    });
  }
}

export interface TokenSource {
  baseUrl: string;
  corpId: string;
  corpSecret: string;
  timeoutMs: number;
  refreshMarginSec: number;
  now: () => number;
}

export class AccessTokens {
  #current: { value: string; refreshAt: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(private readonly source: TokenSource) {}

  /** A valid token, from the cache when it is not due for refresh. */
  get(): Promise<string> {
    const current = this.#current;
    if (current !== undefined && this.source.now() < current.refreshAt)
      return Promise.resolve(current.value);
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** WeCom refused this token; the next `get` fetches another (unless one was fetched meanwhile). */
  invalidate(value: string): void {
    if (this.#current?.value === value) this.#current = undefined;
  }

  async #fetch(): Promise<string> {
    const { baseUrl, corpId, corpSecret, timeoutMs, refreshMarginSec, now } = this.source;
    const url = new URL('/cgi-bin/gettoken', baseUrl);
    url.searchParams.set('corpid', corpId);
    url.searchParams.set('corpsecret', corpSecret);
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new WecomApiError(-1, `HTTP ${response.status}`, 'gettoken');
    }
    const answer = tokenAnswerSchema.parse(await response.json());
    if (
      answer.errcode !== 0 ||
      answer.access_token === undefined ||
      answer.expires_in === undefined
    ) {
      throw new WecomApiError(answer.errcode, answer.errmsg, 'gettoken');
    }
    const lifetimeMs = answer.expires_in * 1000;
    // A margin larger than the lifetime would refresh on every call; keep at least half the lifetime.
    const marginMs = Math.min(refreshMarginSec * 1000, lifetimeMs / 2);
    this.#current = { value: answer.access_token, refreshAt: now() + lifetimeMs - marginMs };
    return answer.access_token;
  }
}
