// Consent rules (PIPL practice, DOMAIN.md §9). The latest record for a channel and purpose, as
// of the contact's instant, is the customer's current choice: a later withdrawal beats a grant.
//
// - marketing: needs an explicit, unexpired marketing grant for the channel (PIPL art. 13(1)).
// - service: a service grant, or a marketing grant, for the channel. A marketing grant is the
//   broader permission, so it covers service notices; but an explicit service withdrawal wins,
//   because the customer's narrower, explicit refusal is the clearer signal.
// - transactional: needs no grant, since it is necessary to perform the customer's contract
//   (PIPL art. 13(2)), but an explicit transactional opt-out for the channel is honoured so the
//   bank delivers on another channel.
import type { ChannelKind, Consent, ContactPurpose, Customer } from '@kequn/core';
import { instantMs } from './bank-time.js';
import { consentExpiredReason, consentMissingReason, type SuppressionReason } from './reasons.js';

type GrantState =
  | { state: 'active' }
  | { state: 'none' }
  | { state: 'withdrawn'; at: string }
  | { state: 'expired'; at: string };

function latestRecord(
  consents: readonly Consent[],
  channel: ChannelKind,
  purpose: ContactPurpose,
  atMs: number,
): Consent | undefined {
  let latest: Consent | undefined;
  let latestMs = Number.NEGATIVE_INFINITY;
  for (const consent of consents) {
    if (consent.channel !== channel || consent.purpose !== purpose) continue;
    const recordedMs = instantMs(consent.recordedAt);
    // Records are an append-only log: on equal instants the later entry is the newer choice.
    if (recordedMs > atMs || recordedMs < latestMs) continue;
    latest = consent;
    latestMs = recordedMs;
  }
  return latest;
}

function grantState(
  consents: readonly Consent[],
  channel: ChannelKind,
  purpose: ContactPurpose,
  atMs: number,
): GrantState {
  const record = latestRecord(consents, channel, purpose, atMs);
  if (record === undefined) return { state: 'none' };
  if (!record.granted) return { state: 'withdrawn', at: record.recordedAt };
  if (record.expiresAt !== undefined && instantMs(record.expiresAt) <= atMs) {
    return { state: 'expired', at: record.expiresAt };
  }
  return { state: 'active' };
}

export function consentReasons(
  customer: Customer,
  channel: ChannelKind,
  purpose: ContactPurpose,
  atMs: number,
): SuppressionReason[] {
  const state = (grantPurpose: ContactPurpose) =>
    grantState(customer.consents, channel, grantPurpose, atMs);
  if (purpose === 'transactional') {
    const optOut = state('transactional');
    return optOut.state === 'withdrawn'
      ? [
          consentMissingReason({
            channel,
            purpose,
            accepted: ['transactional'],
            withdrawnAt: optOut.at,
          }),
        ]
      : [];
  }
  if (purpose === 'marketing')
    return grantReasons(channel, purpose, [['marketing', state('marketing')]]);
  const service = state('service');
  if (service.state === 'withdrawn') {
    return [
      consentMissingReason({
        channel,
        purpose,
        accepted: ['service', 'marketing'],
        withdrawnAt: service.at,
      }),
    ];
  }
  return grantReasons(channel, purpose, [
    ['service', service],
    ['marketing', state('marketing')],
  ]);
}

/** Allowed when any of the accepted grants is active; otherwise explain the most telling state. */
function grantReasons(
  channel: ChannelKind,
  purpose: ContactPurpose,
  grants: readonly [ContactPurpose, GrantState][],
): SuppressionReason[] {
  if (grants.some(([, grant]) => grant.state === 'active')) return [];
  const accepted = grants.map(([grantPurpose]) => grantPurpose);
  const expired = grants.find(([, grant]) => grant.state === 'expired');
  if (expired !== undefined && expired[1].state === 'expired') {
    return [
      consentExpiredReason({
        channel,
        purpose,
        grantPurpose: expired[0],
        expiredAt: expired[1].at,
      }),
    ];
  }
  const withdrawn = grants.find(([, grant]) => grant.state === 'withdrawn');
  if (withdrawn !== undefined && withdrawn[1].state === 'withdrawn') {
    return [consentMissingReason({ channel, purpose, accepted, withdrawnAt: withdrawn[1].at })];
  }
  return [consentMissingReason({ channel, purpose, accepted })];
}
