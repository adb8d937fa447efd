// The public API of @kequn/segments. Anything not exported here is internal.
export * from './rule.js';
export * from './calendar.js';
export { SegmentError, RuleError, formatRulePath, type SegmentErrorCode, type RuleIssue } from './errors.js';
export { parseRule, parseSegmentDefinition, type ParseOptions } from './parse.js';
export { OperatorRegistry, operatorsOf, isBuiltInOperator, type OperatorEntry, type OperandShape } from './operators.js';
export { typeCheckRule, type AttributeCatalogue, type TypeCheckContext } from './typecheck.js';
export { EventStore, type RowMeasure } from './event-store.js';
export { canGenerateCode } from './codegen.js';
export type { BackendName } from './backend.js';
export {
  SegmentEngine,
  createSegmentEngine,
  tableAttributes,
  type SegmentEngineOptions,
  type EvaluateOptions,
  type MembershipChange,
  type ExplainedRule,
  type RuleSize,
} from './engine.js';
export {
  overlapMatrix,
  migrationMatrix,
  migrationBetween,
  MemorySnapshotStore,
  type OverlapMatrix,
  type MembershipSnapshot,
  type SnapshotStore,
  type MigrationMatrix,
} from './history.js';
export { watchCustomerChanges, emitMembershipChanges, type WatchOptions } from './watch.js';
export { toJsonLogic, fromJsonLogic, type JsonLogic } from './jsonlogic.js';
export {
  toBuilder,
  fromBuilder,
  builderGroupSchema,
  builderConditionSchema,
  SEGMENT_FIELD,
  CUSTOMER_ID_FIELD,
  EVENTS_FIELD,
  NO_EVENTS_FIELD,
  type BuilderGroup,
  type BuilderCondition,
  type BuilderItem,
} from './builder.js';
export {
  segmentReport,
  countMembers,
  tableAsOf,
  valueMigrationMatrix,
  type SegmentReport,
  type SegmentReportOptions,
} from './report.js';
export { referencedAttributes } from './referenced.js';
export { createRuleStrategy, exclusiveInOrder, type RuleStrategy, type RuleStrategyOptions } from './strategy.js';
export * from './sql/index.js';
