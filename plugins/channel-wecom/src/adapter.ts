// The WeCom channel adapter: each message becomes a one-customer mass-send task
// (add_msg_template, chat_type "single") that the relationship manager confirms in the WeCom
// client — WeCom sends nothing to customers on its own, so "accepted" means the task exists.
import { z } from 'zod';
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelHealth,
  ChannelRecipient,
  OutboundMessage,
  SendOptions,
  SendResult,
} from '@kequn/core';
import { AccessTokens, WecomApiError } from './token.js';
import { permanentErrcodes, retryableErrcodes, tokenErrcodes } from './errcodes.js';
import type { WecomSettings } from './settings.js';

export interface WecomAdapterOptions {
  now?: () => number;
  /**
   * The WeCom userid (成员ID) of a relationship manager; by default the manager id itself, which
   * suits banks that use WeCom userids as manager ids.
   */
  resolveSender?: (managerId: string) => string | undefined | Promise<string | undefined>;
}

const answerSchema = z.object({
  errcode: z.number().int().default(0),
  errmsg: z.string().default(''),
  msgid: z.string().optional(),
  fail_list: z.array(z.string()).default([]),
});

/** A card link a rich message may carry in `data.link`. */
const linkSchema = z.object({
  title: z.string().min(1),
  url: z.url(),
  desc: z.string().optional(),
  picurl: z.url().optional(),
});

/** `text.content` takes at most 4000 bytes of UTF-8. */
const maxContentBytes = 4000;

export function createWecomAdapter(
  settings: WecomSettings,
  options: WecomAdapterOptions = {},
): ChannelAdapter {
  const now = options.now ?? Date.now;
  const tokens = new AccessTokens({
    baseUrl: settings.baseUrl,
    corpId: settings.corpId,
    corpSecret: settings.corpSecret,
    timeoutMs: settings.timeoutMs,
    refreshMarginSec: settings.tokenRefreshMarginSec,
    now,
  });
  const permanent = new Set([...permanentErrcodes, ...settings.permanentErrcodes]);
  const capabilities = Object.freeze<ChannelCapabilities>({
    kinds: ['text', 'rich'],
    // 4000 bytes is 1333 Chinese characters; longer Latin texts are caught by the byte check.
    maxLength: Math.floor(maxContentBytes / 3),
    ratePerSecond: settings.ratePerSecond,
    deliveryReceipts: false,
    replies: false,
  });

  function templateBody(message: OutboundMessage, externalUserId: string, sender: string): string {
    const link = message.kind === 'rich' ? linkSchema.safeParse(message.data?.link) : undefined;
    return JSON.stringify({
      chat_type: 'single',
      external_userid: [externalUserId],
      sender,
      text: { content: message.text },
      ...(link?.success === true ? { attachments: [{ msgtype: 'link', link: link.data }] } : {}),
    });
  }

  async function postTemplate(
    body: string,
    token: string,
    sendOptions: SendOptions,
  ): Promise<z.infer<typeof answerSchema>> {
    const url = new URL('/cgi-bin/externalcontact/add_msg_template', settings.baseUrl);
    url.searchParams.set('access_token', token);
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [settings.idempotencyHeader]: sendOptions.idempotencyKey,
      },
      body,
      signal:
        sendOptions.signal === undefined ? timeout : AbortSignal.any([sendOptions.signal, timeout]),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new WecomApiError(-1, `HTTP ${response.status}`, 'add_msg_template');
    }
    return answerSchema.parse(await response.json());
  }

  function judge(answer: z.infer<typeof answerSchema>, externalUserId: string): SendResult {
    if (answer.errcode === 0) {
      if (answer.fail_list.includes(externalUserId)) {
        return {
          status: 'rejected',
          reason:
            'WeCom cannot reach this customer through the manager (not their external contact, or the monthly limit is reached)',
        };
      }
      return answer.msgid === undefined
        ? { status: 'accepted' }
        : { status: 'accepted', providerMessageId: answer.msgid };
    }
    const reason = `WeCom add_msg_template answered errcode ${answer.errcode} (${answer.errmsg})`;
    if (permanent.has(answer.errcode)) return { status: 'rejected', reason };
    return { status: 'failed', reason };
  }

  async function send(
    message: OutboundMessage,
    recipient: ChannelRecipient,
    sendOptions: SendOptions,
  ): Promise<SendResult> {
    if (!capabilities.kinds.includes(message.kind)) {
      return {
        status: 'rejected',
        reason: `the WeCom channel sends text and rich messages, not "${message.kind}"`,
      };
    }
    if (Buffer.byteLength(message.text, 'utf8') > maxContentBytes) {
      return {
        status: 'rejected',
        reason: `the text is longer than the ${maxContentBytes} bytes WeCom takes`,
      };
    }
    if (recipient.managerId === undefined) {
      return {
        status: 'rejected',
        reason: 'WeCom messages go out through a relationship manager, and the customer has none',
      };
    }
    const sender =
      options.resolveSender === undefined
        ? recipient.managerId
        : await options.resolveSender(recipient.managerId);
    if (sender === undefined)
      return { status: 'rejected', reason: 'the relationship manager has no WeCom account' };
    const body = templateBody(message, recipient.address, sender);
    try {
      const token = await tokens.get();
      const answer = await postTemplate(body, token, sendOptions);
      if (!tokenErrcodes.has(answer.errcode)) return judge(answer, recipient.address);
      // The token expired early or was replaced by another process fetching one: once more, fresh.
      tokens.invalidate(token);
      return judge(await postTemplate(body, await tokens.get(), sendOptions), recipient.address);
    } catch (error) {
      return { status: 'failed', reason: failure(error, settings.timeoutMs) };
    }
  }

  async function health(): Promise<ChannelHealth> {
    const checkedAt = (): string => new Date(now()).toISOString();
    try {
      const url = new URL('/cgi-bin/get_api_domain_ip', settings.baseUrl);
      url.searchParams.set('access_token', await tokens.get());
      const response = await fetch(url, {
        signal: AbortSignal.timeout(Math.min(settings.timeoutMs, 2000)),
      });
      if (!response.ok) {
        await response.body?.cancel();
        return {
          state: 'degraded',
          detail: `WeCom answered HTTP ${response.status}`,
          checkedAt: checkedAt(),
        };
      }
      const answer = answerSchema.parse(await response.json());
      if (answer.errcode === 0) return { state: 'healthy', checkedAt: checkedAt() };
      return {
        state: 'degraded',
        detail: `WeCom answered errcode ${answer.errcode} (${answer.errmsg})`,
        checkedAt: checkedAt(),
      };
    } catch (error) {
      const state = error instanceof WecomApiError ? 'degraded' : 'down';
      return { state, detail: failure(error, settings.timeoutMs), checkedAt: checkedAt() };
    }
  }

  return { capabilities, send, health };
}

function failure(error: unknown, timeoutMs: number): string {
  if (error instanceof WecomApiError) {
    if (retryableErrcodes.has(error.errcode)) return error.message;
    return `${error.message}; check the corp id, the secret and the server's IP allow-list`;
  }
  if (error instanceof DOMException && error.name === 'TimeoutError')
    return `WeCom did not answer within ${timeoutMs} ms`;
  if (error instanceof DOMException && error.name === 'AbortError')
    return 'the send to WeCom was cancelled';
  if (error instanceof z.ZodError || error instanceof SyntaxError)
    return 'WeCom answered with an unexpected body';
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return `could not reach WeCom (${typeof cause?.code === 'string' ? cause.code : String(error)})`;
}
