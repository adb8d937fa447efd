// The segment catalogue (labels and counts), fetched once per client and shared by the elements
// on a page: the list's filter, the card's groups and the builder's segment names read the same one.
import type { OutputOf } from '@kequn/client';
import type { KequnComponentClient } from './context.js';

export type SegmentCatalogue = OutputOf<'segments.list'>;

const catalogues = new WeakMap<KequnComponentClient, Promise<SegmentCatalogue>>();

export function segmentCatalogue(client: KequnComponentClient): Promise<SegmentCatalogue> {
  let catalogue = catalogues.get(client);
  if (catalogue === undefined) {
    catalogue = client.call('segments.list');
    // A failure is not remembered: the next element asks again (the token may have been refreshed).
    catalogue.catch(() => catalogues.delete(client));
    catalogues.set(client, catalogue);
  }
  return catalogue;
}
