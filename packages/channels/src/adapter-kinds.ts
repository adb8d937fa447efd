// The check every channel adapter makes first: is this a kind of message the channel sends at all.
import type { ChannelCapabilities, MessageKind, SendResult } from '@kequn/core';

/**
 * A rejection naming the kinds the channel sends ("the SMS channel sends text messages, not
 * "rich""), or undefined when the channel sends `kind`. `channel` names it: "the SMS channel".
 */
export function rejectUnsupportedKind(channel: string, capabilities: Pick<ChannelCapabilities, 'kinds'>, kind: MessageKind): SendResult | undefined {
  if (capabilities.kinds.includes(kind)) return undefined;
  return { status: 'rejected', reason: `${channel} sends ${capabilities.kinds.join(' and ')} messages, not "${kind}"` };
}
