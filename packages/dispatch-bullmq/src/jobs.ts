// How outbox messages become BullMQ jobs. A job is one claim of one message: its id is the outbox
// id (made safe for BullMQ, which forbids ":") and the claim's attempt number, so adding the same
// claim twice queues it once, and a worker can tell a job of an earlier claim from the current one.
import type { ChannelKind } from '@kequn/core';

export interface OutboxJob {
  /** The outbox message id, which is also the idempotency key the channel receives. */
  messageId: string;
  /** The claim's attempt number: the job is current only while the row still shows it. */
  attempt: number;
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
