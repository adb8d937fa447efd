// The public API of @kequn/client: a typed, isomorphic client for the Kequn server.
export {
  KequnClient,
  createKequnClient,
  type KequnClientOptions,
  type RouteId,
  type InputOf,
  type OutputOf,
} from './client.js';
export { ProblemError, isProblemError, problemOf } from './problem-error.js';
export { fetchTransport, inProcessTransport, type Transport } from './transport.js';
export { readEventStream } from './sse.js';
export type { Problem } from '@kequn/api';
