// Tallies keyed by branch or manager share one get-or-create step.
export function entryOf<V>(map: Map<string, V>, key: string, create: () => V): V {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = create();
    map.set(key, entry);
  }
  return entry;
}
