// Reading and writing dot paths in the gateway's JSON, for the declarative body mappings.

export type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The value at `path` as a string, or undefined when absent or not a scalar. */
export function readScalar(source: unknown, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const value = readPath(source, path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function writePath(target: JsonObject, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop();
  if (last === undefined) return;
  let current = target;
  for (const key of keys) {
    const next = current[key];
    if (isObject(next)) {
      current = next;
    } else {
      const created: JsonObject = {};
      current[key] = created;
      current = created;
    }
  }
  current[last] = value;
}
