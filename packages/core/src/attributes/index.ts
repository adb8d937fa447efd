// Public API of the attribute registry: definitions, sources, values and the built-in customer attributes.
export {
  attributeTypeSchema,
  piClassSchema,
  piClassLabels,
  numberStorageSchema,
  attributeIdPattern,
  attributeIdSchema,
  attributeValueOptionSchema,
  attributeDefinitionSchema,
  numberStorageOf,
} from './definition.js';
export type {
  AttributeType,
  PiClass,
  NumberStorage,
  AttributeValueOption,
  AttributeDefinition,
} from './definition.js';
export { AttributeError } from './errors.js';
export type { AttributeErrorCode } from './errors.js';
export { describeInvalidValue, checkAttributeValue } from './value.js';
export type {
  AttributeValue,
  AttributeValueByType,
  AttributeReadContext,
  AttributeSource,
  TypedAttributeSource,
} from './value.js';
export { AttributeRegistry } from './registry.js';
export type { AttributeRegistrationOptions } from './registry.js';
export { toEpochDay, fromEpochDay, parseEpochDay } from './calendar.js';
export { customerAttributes } from './customer-attributes.js';
