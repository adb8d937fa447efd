// Settings of the generic HTTP SMS gateway adapter. Banks run their own SMS platforms (短信平台), each
// with its own JSON layout, so the request, the answer and the callbacks are mapped declaratively.
import { z } from 'zod';

/** A dot path into a JSON object, e.g. `data.msgId`. */
export const fieldPathSchema = z
  .string()
  .regex(/^[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*$/, 'expected a dot path such as "data.msgId"');

const headerNameSchema = z.string().regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name');

const hmacFields = {
  /** Shared secret; the signature is HMAC-SHA256 over `${timestamp}.${body}`. */
  secret: z.string().min(16, 'use a shared secret of at least 16 characters'),
  signatureHeader: headerNameSchema.default('X-Signature'),
  /** Unix seconds. */
  timestampHeader: headerNameSchema.default('X-Timestamp'),
  encoding: z.enum(['hex', 'base64']).default('hex'),
};

export const smsAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('bearer'), token: z.string().min(1) }),
  z.object({ type: z.literal('hmac'), ...hmacFields }),
]);
export type SmsAuth = z.infer<typeof smsAuthSchema>;

export const smsRequestMappingSchema = z.object({
  /** Where each value goes in the gateway's JSON body. */
  phone: fieldPathSchema.default('phone'),
  text: fieldPathSchema.default('text'),
  idempotencyKey: fieldPathSchema.default('idempotencyKey'),
  signName: fieldPathSchema.default('signName'),
  /** Fixed fields every request carries, e.g. `{ "appId": "kequn", "extend.channel": "crm" }`. */
  constants: z.record(fieldPathSchema, z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** The idempotency key is also sent in this header, for gateways that de-duplicate there. */
  idempotencyHeader: headerNameSchema.default('Idempotency-Key'),
});

export const smsResponseMappingSchema = z.object({
  /** The field that says whether the gateway took the message; absent: every 2xx answer is accepted. */
  acceptedField: fieldPathSchema.optional(),
  /** Values of `acceptedField` that mean accepted, compared as strings. */
  acceptedValues: z.array(z.string()).default(['0']),
  messageIdField: fieldPathSchema.optional(),
  /** Where the error code is; defaults to `acceptedField`. */
  errorCodeField: fieldPathSchema.optional(),
  errorMessageField: fieldPathSchema.optional(),
  /** Error codes that retrying cannot fix (empty number, content refused…); other codes are retried. */
  permanentErrorCodes: z.array(z.string()).default([]),
});

export const smsCallbackSchema = z.object({
  ...hmacFields,
  /** Callbacks whose timestamp is further than this from now are refused (replay protection). */
  toleranceSec: z.number().int().min(1).max(86_400).default(300),
  typeField: fieldPathSchema.default('type'),
  receiptTypes: z.array(z.string()).default(['receipt']),
  replyTypes: z.array(z.string()).default(['reply']),
  receipt: z
    .object({
      messageIdField: fieldPathSchema.default('messageId'),
      idempotencyKeyField: fieldPathSchema.default('idempotencyKey'),
      statusField: fieldPathSchema.default('status'),
      /** Status values that mean the handset received it (CMPP/SMGP report `DELIVRD`). */
      deliveredValues: z.array(z.string()).default(['DELIVRD', 'delivered']),
      atField: fieldPathSchema.default('at'),
    })
    .prefault({}),
  reply: z
    .object({
      phoneField: fieldPathSchema.default('phone'),
      textField: fieldPathSchema.default('text'),
      atField: fieldPathSchema.default('at'),
    })
    .prefault({}),
});

export type SmsCallbackSettings = z.infer<typeof smsCallbackSchema>;
export type SmsCallbackInput = z.input<typeof smsCallbackSchema>;

/**
 * Batch submission (批量提交), for gateways that take many messages in one request: the request holds
 * the constants and signature once and one entry per message at `itemsField`, each mapped like a
 * single send's body; the answer holds one result per entry, in order, at `resultsField`, each read
 * like a single send's answer.
 */
export const smsBatchSchema = z.object({
  /** The batch endpoint; the send URL when absent. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  itemsField: fieldPathSchema.default('items'),
  resultsField: fieldPathSchema.default('results'),
  /** The most messages the gateway takes in one request. */
  maxSize: z.number().int().min(1).max(1_000).default(100),
});
export type SmsBatchSettings = z.infer<typeof smsBatchSchema>;

export const smsSettingsSchema = z.object({
  /** The gateway's send endpoint. */
  url: z.url({ protocol: /^https?$/ }),
  auth: smsAuthSchema.default({ type: 'none' }),
  /** The SMS signature (短信签名) registered for the bank, e.g. "某某银行". */
  signName: z.string().min(1).max(20).optional(),
  request: smsRequestMappingSchema.prefault({}),
  response: smsResponseMappingSchema.prefault({}),
  /** Send in batches through the gateway's batch endpoint (dispatchers then hand over many messages at once). */
  batch: smsBatchSchema.optional(),
  /** Receipts and replies posted back by the gateway; needed for `createCallbackHandler`. */
  callback: smsCallbackSchema.optional(),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  /** The rate the gateway allows; the dispatcher never exceeds it. */
  ratePerSecond: z.number().positive().default(100),
  /** Long SMS (长短信) are concatenated by the gateway up to this many characters. */
  maxLength: z.number().int().min(70).max(1000).default(500),
  /** GET this URL for `health()`; without it health is judged from recent sends. */
  healthUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** A reply consisting of one of these words (after trimming, any case) is an unsubscribe. */
  optOutKeywords: z.array(z.string().min(1)).default(['TD', 'T', '退订']),
});
export type SmsSettings = z.infer<typeof smsSettingsSchema>;
export type SmsSettingsInput = z.input<typeof smsSettingsSchema>;
