import type { ChannelKind, Consent, ContactPurpose, Customer } from '@kequn/core';
import { createSyntheticBank } from '@kequn/testing';

const bank = createSyntheticBank({ seed: 21, customers: 1 });

/** A real customer of the synthetic bank with the consents and flag the test needs. */
export function customerWith(consents: Consent[], doNotContact = false, id = 'C1'): Customer {
  return { ...bank.customerAt(0), id, consents, doNotContact };
}

export function grant(
  channel: ChannelKind,
  purpose: ContactPurpose,
  options: { recordedAt?: string; expiresAt?: string; granted?: boolean } = {},
): Consent {
  return {
    channel,
    purpose,
    granted: options.granted ?? true,
    recordedAt: options.recordedAt ?? '2025-01-01T00:00:00+08:00',
    ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
  };
}

/** Consented to marketing and service on every channel, no expiry. */
export const consentingCustomer = customerWith(
  (['sms', 'wecom', 'email', 'app_push', 'phone', 'branch'] as const).flatMap((channel) => [
    grant(channel, 'marketing'),
    grant(channel, 'service'),
  ]),
);

/** A Tuesday morning on an ordinary workday. */
export const ordinaryMorning = '2026-03-10T10:00:00+08:00';
