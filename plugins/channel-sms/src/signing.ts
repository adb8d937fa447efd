// HMAC-SHA256 signatures over `${timestamp}.${body}`, the same shape for requests the adapter sends
// and for callbacks it receives, compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureEncoding = 'hex' | 'base64';

export function signPayload(
  secret: string,
  timestamp: string,
  body: string,
  encoding: SignatureEncoding,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest(encoding);
}

export function signatureMatches(expected: string, received: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(received);
  return a.length === b.length && timingSafeEqual(a, b);
}
