// Where a message goes: resolved from the customer record at send time, so the outbox never holds
// a phone number or an address, and a changed number is used as soon as it is imported.
import type { ChannelKind, ChannelRecipient, Customer, MessageKind } from '@kequn/core';

export type RecipientResolution = { ok: true; recipient: ChannelRecipient } | { ok: false; reason: 'no_address' };

function manager(customer: Customer): { managerId: string } | Record<string, never> {
  return customer.relationshipManagerId === null ? {} : { managerId: customer.relationshipManagerId };
}

/**
 * The recipient of a message on `channel`: SMS reaches the customer's mobile, e-mail their address,
 * WeCom their external-contact id (sent by their manager), app push their app user id; phone and
 * branch tasks go to the relationship manager, while a phone message that is not a task (a voice
 * notice) reaches the mobile. Without one, `no_address`.
 */
export function resolveRecipient(customer: Customer, channel: ChannelKind, kind: MessageKind = 'text'): RecipientResolution {
  const profile = customer.profile;
  const to = (address: string | undefined | null, extra: { managerId?: string } = {}): RecipientResolution =>
    address === undefined || address === null || address === '' ? { ok: false, reason: 'no_address' } : { ok: true, recipient: { customerId: customer.id, address, ...extra } };
  switch (channel) {
    case 'sms':
      return to(profile.phone);
    case 'email':
      return to(profile.email);
    case 'wecom':
      return to(profile.wecomExternalUserId, manager(customer));
    case 'app_push':
      return to(profile.appUserId);
    case 'phone':
      if (kind !== 'task') return to(profile.phone);
      return to(customer.relationshipManagerId, manager(customer));
    case 'branch':
      // The human channels: a call or visit task on the manager's list, not a call placed by a machine.
      return to(customer.relationshipManagerId, manager(customer));
  }
}
