// How outbox messages become BullMQ jobs. A job is a few claimed messages of one channel, each
// with its claim's attempt number, so that a worker can tell a message of an earlier claim from the
// current one. Its id is the first message's outbox id (made safe for BullMQ, which forbids ":")
// and attempt: a message is in one claim at a time, so adding the same claim twice queues it once.
// Several messages to a job spread BullMQ's own cost (a few Redis round trips and scripts a job)
// over them, and let a worker read their rows and customers in one query each.
import type { ChannelKind } from '@kequn/core';

export interface OutboxJobMessage {
  /** The outbox message id, which is also the idempotency key the channel receives. */
  messageId: string;
  /** The claim's attempt number: the message is current only while the row still shows it. */
  attempt: number;
}

export interface OutboxJob {
  messages: OutboxJobMessage[];
}

export const SEND_JOB = 'send';

export function queueNameFor(queueName: string, channel: ChannelKind): string {
  return `${queueName}.${channel}`;
}

export function jobIdFor(messageId: string, attempt: number): string {
  return `${encodeURIComponent(messageId)}#${attempt}`;
}

/** The worker id under which the feeder claims, and every worker settles, this queue's messages. */
export function claimFence(queueName: string): string {
  return `bullmq:${queueName}`;
}
