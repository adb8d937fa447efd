// The webhook signature, after Stripe's and GitHub's: `X-Kequn-Signature: sha256=<hex>` where the
// HMAC-SHA256 covers `${X-Kequn-Timestamp}.${body}`, so neither can be changed without the secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Kequn-Timestamp';
export const SIGNATURE_HEADER = 'X-Kequn-Signature';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function signatureMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
