// Turns one source row into a model record: each mapped cell is read as its field's type and put
// at its field path; zod then judges the whole record, and every problem names the source column.
import type { z } from 'zod';
import type { KindDefinition } from './kinds.js';
import type { ColumnMapping } from './mapping.js';
import { CellProblem, readCell, type FieldType } from './values.js';

export interface RowProblem {
  column: string;
  reason: string;
}

export type ConvertedRow = { record: Record<string, unknown>; problems: [] } | { record: undefined; problems: RowProblem[] };

interface CellPlan {
  column: string;
  /** Position in a CSV row, or -1 when the source lacks the column. */
  index: number;
  path: string[];
  type: FieldType;
  translations: Record<string, string> | undefined;
}

export interface RowConverter {
  convert(cells: readonly unknown[] | Record<string, unknown>): ConvertedRow;
  /** Mapped columns the source header does not have. */
  readonly missingColumns: string[];
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (let depth = 0; depth < path.length - 1; depth++) {
    const key = path[depth] ?? '';
    const next = node[key];
    if (typeof next === 'object' && next !== null) {
      node = next as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[path.at(-1) ?? ''] = value;
}

/** zod reports `holdings.0.amount`; the column is the one mapped to the longest matching prefix. */
function columnOfIssue(path: readonly PropertyKey[], columnByField: ReadonlyMap<string, string>): string {
  const parts = path.map(String);
  for (let length = parts.length; length > 0; length--) {
    const column = columnByField.get(parts.slice(0, length).join('.'));
    if (column !== undefined) return column;
  }
  return parts.length === 0 ? '(row)' : `(${parts.join('.')}, not mapped)`;
}

function describeIssue(issue: z.core.$ZodIssue, column: string): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return column.startsWith('(')
      ? `${field} is required: map a column to it or give it a default in the mapping`
      : `${field} is required but the cell is empty`;
  }
  return `${field}: ${issue.message}`;
}

export function createRowConverter(definition: KindDefinition, mapping: ColumnMapping, header: readonly string[] | undefined): RowConverter {
  const indexOf = new Map(header?.map((column, index) => [column.trim(), index]));
  const plans: CellPlan[] = Object.entries(mapping.columns).map(([column, field]) => ({
    column,
    index: header === undefined ? -1 : (indexOf.get(column) ?? -1),
    path: field.split('.'),
    type: definition.fields[field] ?? 'string',
    translations: mapping.values[field],
  }));
  const columnByField = new Map(Object.entries(mapping.columns).map(([column, field]) => [field, column]));
  const defaults = Object.entries(mapping.defaults).map(([field, value]) => ({ path: field.split('.'), value }));
  const missingColumns = header === undefined ? [] : plans.filter((plan) => plan.index === -1).map((plan) => plan.column);

  function cellOf(cells: readonly unknown[] | Record<string, unknown>, plan: CellPlan): unknown {
    const raw = Array.isArray(cells) ? (plan.index === -1 ? undefined : cells[plan.index]) : (cells as Record<string, unknown>)[plan.column];
    if (plan.translations === undefined || typeof raw !== 'string') return raw;
    return plan.translations[raw.trim()] ?? raw;
  }

  return {
    missingColumns,
    convert(cells) {
      const record: Record<string, unknown> = {};
      const problems: RowProblem[] = [];
      for (const { path, value } of defaults) setPath(record, path, structuredClone(value));
      for (const plan of plans) {
        const value = readCell(cellOf(cells, plan), plan.type, mapping.dateTimeOffset);
        if (value === undefined) continue;
        if (value instanceof CellProblem) problems.push({ column: plan.column, reason: value.reason });
        else setPath(record, plan.path, value);
      }
      const parsed = definition.schema.safeParse(record);
      if (parsed.success && problems.length === 0) return { record: parsed.data as Record<string, unknown>, problems: [] };
      // A cell that could not be read is reported once, not again as the empty field zod then sees.
      const unreadable = new Set(problems.map((problem) => problem.column));
      for (const issue of parsed.error?.issues ?? []) {
        const column = columnOfIssue(issue.path, columnByField);
        if (!unreadable.has(column)) problems.push({ column, reason: describeIssue(issue, column) });
      }
      return { record: undefined, problems };
    },
  };
}
