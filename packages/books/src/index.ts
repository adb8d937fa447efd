// The public API of @kequn/books: the managed-book domain (管户). Anything not exported here is internal.
import './events.js';

export type { HandoffEvent } from './events.js';
export {
  abcdClassIds,
  booksSettingsSchema,
  type AbcdClass,
  type BooksSettings,
  type BooksSettingsInput,
} from './settings.js';
export {
  allocationRunSchema,
  assignmentSchema,
  contactStateSchema,
  customerFileSchema,
  decisionSchema,
  handoffCaseSchema,
  handoffStatusSchema,
  overCapacitySchema,
  proposalSchema,
  unplacedSchema,
  type AllocationRun,
  type Assignment,
  type ContactState,
  type CustomerFile,
  type Decision,
  type HandoffCase,
  type HandoffStatus,
  type OverCapacity,
  type Proposal,
  type Unplaced,
} from './records.js';
export {
  allocationCandidate,
  proposeAllocation,
  type AllocationCandidate,
  type AllocationOutcome,
  type AllocationPolicy,
  type AllocationTarget,
} from './allocation.js';
export {
  applyContact,
  buildContactPlan,
  contactViolations,
  dailyList,
  effectiveOutcomes,
  emptyContactState,
  isEffective,
  planItem,
  type ContactEntry,
  type ContactPlan,
  type ContactUpdate,
  type ContactViolation,
  type PlanCustomer,
  type PlanItem,
  type PlanReason,
} from './contact-plan.js';
export {
  CompletenessTally,
  completenessBand,
  profileCompleteness,
  profileSectionIds,
  type BandFigures,
  type CompletenessBand,
  type CompletenessFigures,
  type CompletenessReport,
  type ProfileCompleteness,
  type ProfileSection,
} from './completeness.js';
export { customerKpiFact, KpiTally, type CustomerKpiFact, type KpiFigures, type KpiPeriod, type KpiReport, type TierRankAt } from './kpi.js';
export { addBusinessDays } from './calendar.js';
export { describeReason, type BookLocale } from './reason-text.js';
export { memoryCustomerDirectory, storeCustomerDirectory, type CustomerDirectory } from './directory.js';
export { classesFromModel, segmentMembers } from './model.js';
export { BookService, createBookService, customerBasis, type BookServiceOptions, type ReclaimFlag } from './service.js';
export { bookSummary, formatBookSummary, type BookSummary, type BookSummaryInput } from './summary.js';
export type { BookStore } from './store/port.js';
export { createMemoryBookStore } from './store/memory.js';
export { createSqlBookStore } from './store/sql.js';
export { bookMigrations, bookSchemaVersion, LATEST_BOOK_SCHEMA_VERSION, migrateBookStore, type BookMigration } from './store/migrations.js';
export {
  AllocationRunStateError,
  AllocationRunUnknownError,
  ApproverNotAllowedError,
  BookError,
  BookSchemaTooNewError,
  BookSettingsError,
  CustomerUnknownError,
  HandoffActorError,
  HandoffStepError,
  HandoffUnknownError,
  ManagerUnknownError,
  type BookErrorCode,
} from './errors.js';
