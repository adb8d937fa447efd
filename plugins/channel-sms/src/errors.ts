// Errors of the SMS channel, each with a stable code.
import { KequnError } from '@kequn/core';

/** `createCallbackHandler` was called but the settings have no `callback` section. */
export class SmsCallbackNotConfiguredError extends KequnError {
  constructor(channelId: string) {
    super(
      'KQ_SMS_CALLBACK_NOT_CONFIGURED',
      `The SMS channel "${channelId}" has no "callback" settings: add callback.secret (and the field mapping of the gateway's receipts and replies) before mounting the callback handler.`,
      { contributionId: channelId },
    );
  }
}
