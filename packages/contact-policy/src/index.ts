// The public API of @kequn/contact-policy. Anything not exported here is internal.
export { createContactPolicy, type ContactPolicy } from './policy.js';
export {
  contactPolicySettingsSchema,
  frequencyCapSchema,
  quietWindowSchema,
  marketingPauseSchema,
  governedPurposeSchema,
  type ContactPolicySettings,
  type ContactPolicySettingsInput,
  type FrequencyCap,
  type QuietWindow,
  type MarketingPause,
  type GovernedPurpose,
} from './settings.js';
export { contactRequestSchema, type ContactRequest, type ContactRequestInput } from './request.js';
export {
  contactRecordSchema,
  type ContactRecord,
  type ContactLedger,
  type ContactRange,
  type ContactHistory,
} from './ledger.js';
export {
  decisionSchema,
  suppressionReasonSchema,
  reasonCodeSchema,
  timeBoundReasonCodes,
  type Decision,
  type SuppressionReason,
  type ReasonCode,
} from './reasons.js';
export {
  createHolidayCalendar,
  holidayYearSchema,
  publicHolidaySchema,
  makeUpWorkdaySchema,
  type HolidayCalendar,
  type HolidayYear,
  type HolidayYearInput,
  type PublicHoliday,
  type MakeUpWorkday,
} from './holidays/calendar.js';
export {
  chinaPublicHolidays,
  chinaPublicHolidays2026,
  chinaHolidayCalendar,
  isWorkday,
  holidayName,
} from './holidays/china.js';
export {
  ContactPolicyError,
  ContactPolicySettingsError,
  HolidayCalendarError,
  ContactRequestError,
  type ContactPolicyErrorCode,
} from './errors.js';
