// The client context: `<kq-provider>` answers the requests of descendants for the Kequn client.
// The key is a global symbol that carries the compatibility line, so two copies of the SDK of the
// same line share one provider while copies of different lines never answer each other.
import { createContext } from '@lit/context';
import type { KequnClient } from '@kequn/client';
import { KEQUN_CONTEXT_LINE } from './version.js';

/** What the elements need of `@kequn/client`: typed `call(routeId, input)`. */
export type KequnComponentClient = Pick<KequnClient, 'call'>;

export const KEQUN_CLIENT_CONTEXT_KEY: unique symbol = Symbol.for(
  `kequn.client.v${KEQUN_CONTEXT_LINE}`,
) as never;

export const kequnClientContext = createContext<KequnComponentClient | undefined>(
  KEQUN_CLIENT_CONTEXT_KEY,
);
