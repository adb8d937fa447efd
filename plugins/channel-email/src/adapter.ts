// The e-mail channel adapter: one SMTP transaction per message through nodemailer. The Message-ID
// is derived from the idempotency key, so every attempt of one message carries the same id and a
// relay or mailbox can drop the repeats. SMTP 4xx replies are retried, 5xx are final.
import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
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
import type { EmailSettings } from './settings.js';

export interface EmailChannelAdapter extends ChannelAdapter {
  /** Closes pooled SMTP connections. */
  dispose(): void;
}

export interface EmailAdapterOptions {
  now?: () => number;
}

/** The Message-ID every attempt of one message carries. */
export function messageIdFor(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 40);
  return `<kq.${digest}@${domain}>`;
}

/** What nodemailer's errors carry besides a message. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  command?: string;
  response?: string;
}

const emailAddress = z.email();

/** SMTP replies often quote the address; the reason is stored, so the address is left out. */
function withoutAddresses(text: string): string {
  return text.replace(/<?[^\s<>@]+@[^\s<>@]+>?/g, '<address>');
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Paragraphs at blank lines, line breaks within them. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

function judgeFailure(error: unknown): SendResult {
  const failure: SmtpFailure =
    typeof error === 'object' && error !== null ? (error as SmtpFailure) : {};
  const code = failure.responseCode;
  const reply = failure.response === undefined ? '' : `: ${withoutAddresses(failure.response)}`;
  const stage = failure.command === undefined ? '' : ` at ${failure.command}`;
  // A refused login is the relay's configuration, not this message: keep it for later.
  if (failure.code === 'EAUTH')
    return { status: 'failed', reason: `the SMTP relay refused the login${reply}` };
  if (code !== undefined && code >= 500)
    return { status: 'rejected', reason: `the SMTP relay answered ${code}${stage}${reply}` };
  if (code !== undefined && code >= 400)
    return { status: 'failed', reason: `the SMTP relay answered ${code}${stage}${reply}` };
  const detail = failure.code ?? (error instanceof Error ? error.message : String(error));
  return { status: 'failed', reason: `could not reach the SMTP relay (${detail})` };
}

export function createEmailAdapter(
  settings: EmailSettings,
  options: EmailAdapterOptions = {},
): EmailChannelAdapter {
  const now = options.now ?? Date.now;
  const domain = settings.messageIdDomain ?? settings.from.address.split('@')[1] ?? 'localhost';
  const transporter: Transporter = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === 'implicit',
    requireTLS: settings.tls === 'starttls',
    ignoreTLS: settings.tls === 'none',
    tls: {
      rejectUnauthorized: settings.rejectUnauthorized,
      ...(settings.ca === undefined ? {} : { ca: settings.ca }),
    },
    ...(settings.auth === undefined ? {} : { auth: settings.auth }),
    pool: settings.pool,
    maxConnections: settings.maxConnections,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  const capabilities = Object.freeze<ChannelCapabilities>({
    kinds: ['text', 'rich'],
    ratePerSecond: settings.ratePerSecond,
    deliveryReceipts: false,
    replies: false,
  });

  async function send(
    message: OutboundMessage,
    recipient: ChannelRecipient,
    sendOptions: SendOptions,
  ): Promise<SendResult> {
    if (!capabilities.kinds.includes(message.kind)) {
      return {
        status: 'rejected',
        reason: `the e-mail channel sends text and rich messages, not "${message.kind}"`,
      };
    }
    if (message.subject === undefined || message.subject.trim() === '') {
      return {
        status: 'rejected',
        reason: `the message of template "${message.templateId}" has no subject, which an e-mail needs`,
      };
    }
    if (!emailAddress.safeParse(recipient.address).success)
      return { status: 'rejected', reason: 'the recipient has no valid e-mail address' };
    if (sendOptions.signal?.aborted === true)
      return { status: 'failed', reason: 'the send to the SMTP relay was cancelled' };
    const html = message.data?.html;
    const messageId = messageIdFor(sendOptions.idempotencyKey, domain);
    try {
      const info = (await transporter.sendMail({
        from:
          settings.from.name === undefined
            ? settings.from.address
            : { name: settings.from.name, address: settings.from.address },
        to: recipient.address,
        subject: message.subject,
        text: message.text,
        ...(message.kind === 'rich'
          ? { html: typeof html === 'string' ? html : textToHtml(message.text) }
          : {}),
        messageId,
        date: new Date(now()),
        headers: { 'Content-Language': message.locale },
      })) as { messageId?: string };
      return { status: 'accepted', providerMessageId: info.messageId ?? messageId };
    } catch (error) {
      return judgeFailure(error);
    }
  }

  async function health(): Promise<ChannelHealth> {
    const checkedAt = (): string => new Date(now()).toISOString();
    try {
      await transporter.verify();
      return { state: 'healthy', checkedAt: checkedAt() };
    } catch (error) {
      const verdict = judgeFailure(error);
      const reason = verdict.status === 'accepted' ? '' : verdict.reason;
      const unreachable = reason.startsWith('could not reach');
      return { state: unreachable ? 'down' : 'degraded', detail: reason, checkedAt: checkedAt() };
    }
  }

  return { capabilities, send, health, dispose: () => transporter.close() };
}
