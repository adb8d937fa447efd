// Test helpers of @kequn/plugin-channel-sms: a loopback SMS gateway to test and demo against.
export {
  startLoopbackSmsGateway,
  loopbackGatewayMapping,
  loopbackCallbackMapping,
  loopbackBatchMapping,
  type LoopbackSmsGateway,
  type LoopbackSmsGatewayOptions,
  type DeliveredSms,
} from './gateway.js';
