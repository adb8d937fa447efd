// The column mapping file: which source column feeds which model field, defaults for fields the
// source lacks, and translations of coded values (男 → male). JSON or YAML.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ImportMappingError } from './errors.js';
import { importKinds, importKindSchema, type ImportKind } from './kinds.js';

export const columnMappingSchema = z.object({
  /** What the file holds; the CLI takes it from here when `--kind` is not given. */
  kind: importKindSchema.optional(),
  /** Source column → model field path, e.g. `"手机号": "profile.phone"`. */
  columns: z.record(z.string().min(1), z.string().min(1)),
  /** Model field path → value used when the source has no value for it. */
  defaults: z.record(z.string(), z.unknown()).default({}),
  /** Model field path → { source value → model value }, e.g. gender codes. */
  values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  /** Text encoding of CSV and JSON Lines sources; detected when absent. */
  encoding: z.string().optional(),
  /** Offset for date-times written without one; China Standard Time by default. */
  dateTimeOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'expected an offset like +08:00').default('+08:00'),
});
export type ColumnMapping = z.infer<typeof columnMappingSchema>;
export type ColumnMappingInput = z.input<typeof columnMappingSchema>;

/** Every model field mapped from a column of the same name: for files whose headers are field paths. */
export function identityMapping(kind: ImportKind): ColumnMapping {
  const columns = Object.fromEntries(Object.keys(importKinds[kind].fields).map((field) => [field, field]));
  return columnMappingSchema.parse({ kind, columns });
}

/** Validates a mapping against the fields of a kind. */
export function parseColumnMapping(input: unknown, kind: ImportKind | undefined, where = '(given in code)'): ColumnMapping & { kind: ImportKind } {
  const parsed = columnMappingSchema.safeParse(input);
  if (!parsed.success) {
    throw new ImportMappingError(where, parsed.error.issues.map((issue) => `${issue.path.join('.') || 'mapping'}: ${issue.message}`));
  }
  const resolvedKind = kind ?? parsed.data.kind;
  if (resolvedKind === undefined) {
    throw new ImportMappingError(where, ['it does not say what it imports: add "kind": "customers" (or holdings, events, managers, branches)']);
  }
  const known = importKinds[resolvedKind].fields;
  const fields = [...Object.values(parsed.data.columns), ...Object.keys(parsed.data.defaults), ...Object.keys(parsed.data.values)];
  const unknown = [...new Set(fields.filter((field) => !(field in known)))];
  if (unknown.length > 0) {
    throw new ImportMappingError(where, [
      `${resolvedKind} have no field ${unknown.map((field) => `"${field}"`).join(', ')}; known fields: ${Object.keys(known).join(', ')}`,
    ]);
  }
  return { ...parsed.data, kind: resolvedKind };
}

/** Reads a mapping file (`.json`, `.yaml` or `.yml`). */
export async function loadColumnMapping(path: string, kind?: ImportKind): Promise<ColumnMapping & { kind: ImportKind }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ImportMappingError(path, [`the file cannot be read (${error instanceof Error ? error.message : String(error)})`]);
  }
  let content: unknown;
  try {
    content = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ImportMappingError(path, [`it is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return parseColumnMapping(content, kind, path);
}
