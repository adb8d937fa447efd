// What an attribute is: the schema every attribute definition (built-in or from a plugin) is
// validated against. Rules, UI pickers and the columnar table all start from these definitions.
import { z } from 'zod';
import { localizedTextSchema, type LocalizedText } from '../model/localized-text.js';

export { localizedTextSchema, type LocalizedText };

export const attributeTypeSchema = z.enum([
  'number',
  'money',
  'date',
  'enum',
  'set',
  'boolean',
  'string',
]);
export type AttributeType = z.infer<typeof attributeTypeSchema>;

/**
 * Personal financial information class after JR/T 0171-2020: C3 authentication information
 * (passwords, card verification data), C2 information that identifies a person or shows their
 * financial situation, C1 information the bank uses internally. Higher classes need stricter handling.
 */
export const piClassSchema = z.enum(['C3', 'C2', 'C1']);
export type PiClass = z.infer<typeof piClassSchema>;


export const piClassLabels: Readonly<Record<PiClass, LocalizedText>> = {
  C3: { 'zh-CN': '用户鉴别信息', en: 'Authentication information' },
  C2: { 'zh-CN': '可识别身份与金融状况的信息', en: 'Identifying and financial-status information' },
  C1: { 'zh-CN': '机构内部信息', en: 'Internal information' },
};

/** How a number is kept in the columnar table; narrower storage saves memory when the range allows. */
export const numberStorageSchema = z.enum(['float64', 'float32', 'int32', 'uint16', 'uint8']);
export type NumberStorage = z.infer<typeof numberStorageSchema>;

/** Dotted camelCase path: `assets.averageDailyAum3m`, `doNotContact`. */
export const attributeIdPattern = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/;

export const attributeIdSchema = z
  .string()
  .regex(
    attributeIdPattern,
    'an attribute id is a dotted camelCase path such as "assets.averageDailyAum3m": ' +
      'segments start with a lower-case letter and contain only letters and digits',
  );

export const attributeValueOptionSchema = z.object({
  value: z.string().min(1),
  label: localizedTextSchema,
});
export type AttributeValueOption = z.infer<typeof attributeValueOptionSchema>;

const attributeDefinitionShape = z.object({
  id: attributeIdSchema,
  type: attributeTypeSchema,
  label: localizedTextSchema,
  description: localizedTextSchema.optional(),
  piClass: piClassSchema,
  /** The allowed values of an enum or set attribute, in display order. */
  values: z.array(attributeValueOptionSchema).optional(),
  /** An enum or set whose values are not known up front (free tags): `values` may then be omitted. */
  open: z.boolean().optional(),
  /** Storage hint for number and money attributes; float64 when omitted. */
  storage: numberStorageSchema.optional(),
});

type DefinitionShape = z.infer<typeof attributeDefinitionShape>;

function hasValueList(type: AttributeType): boolean {
  return type === 'enum' || type === 'set';
}

function checkDefinition(definition: DefinitionShape, context: z.RefinementCtx): void {
  const { id, type, values, open, storage } = definition;
  if (hasValueList(type) && open !== true && (values === undefined || values.length === 0)) {
    context.addIssue({
      code: 'custom',
      path: ['values'],
      message:
        `attribute "${id}" is of type ${type} and needs "values" (each with zh-CN and en labels), ` +
        'or "open: true" if its values are not known up front',
    });
  }
  if (!hasValueList(type) && (values !== undefined || open !== undefined)) {
    context.addIssue({
      code: 'custom',
      path: [values !== undefined ? 'values' : 'open'],
      message: `attribute "${id}" is of type ${type}; "values" and "open" only apply to enum and set attributes`,
    });
  }
  if (storage !== undefined && type !== 'number' && type !== 'money') {
    context.addIssue({
      code: 'custom',
      path: ['storage'],
      message: `attribute "${id}" is of type ${type}; a storage hint only applies to number and money attributes`,
    });
  }
  const seen = new Set<string>();
  for (const [index, option] of (values ?? []).entries()) {
    if (seen.has(option.value)) {
      context.addIssue({
        code: 'custom',
        path: ['values', index, 'value'],
        message: `attribute "${id}" lists the value "${option.value}" twice`,
      });
    }
    seen.add(option.value);
  }
}

export const attributeDefinitionSchema = attributeDefinitionShape.superRefine(checkDefinition);
export type AttributeDefinition = z.infer<typeof attributeDefinitionSchema>;

/** The storage a number or money attribute gets in the table. */
export function numberStorageOf(definition: AttributeDefinition): NumberStorage {
  return definition.storage ?? 'float64';
}
