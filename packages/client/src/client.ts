// The typed client: one `call` per route id, typed by the route's zod schemas in @kequn/api.
import {
  kequnRoutes,
  pathOf,
  type KequnRoutes,
  type RouteContract,
  type RouteInput,
  type RouteOutput,
} from '@kequn/api';
import { problemOf, ProblemError } from './problem-error.js';
import { readEventStream } from './sse.js';
import { fetchTransport, type Transport } from './transport.js';

export interface KequnClientOptions {
  /** Where the API is mounted, e.g. `https://gateway.bank.example/kequn`. */
  baseUrl: string;
  /** fetch by default. */
  transport?: Transport;
  /** A bearer token, or a function giving the current one (refreshed by the bank's SSO). */
  token?: string | (() => string | Promise<string>);
  /** Check every response against its schema (off by default: the server already validates). */
  validateResponses?: boolean;
}

type RouteMap = { [C in KequnRoutes[number] as C['id']]: C };
type Contract<Id extends RouteId> = RouteMap[Id];
export type RouteId = KequnRoutes[number]['id'];
type JsonRouteId = Exclude<KequnRoutes[number], { produces: 'event-stream' }>['id'];
type StreamRouteId = Extract<KequnRoutes[number], { produces: 'event-stream' }>['id'];

export type InputOf<Id extends RouteId> = RouteInput<Contract<Id>>;
export type OutputOf<Id extends RouteId> = RouteOutput<Contract<Id>>;
/** Routes without required input can be called with no argument. */
type OptionalWhenEmpty<Input> = object extends Input ? [input?: Input] : [input: Input];

function queryString(query: Readonly<Record<string, unknown>> | undefined): string {
  if (query === undefined) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Built once: every call looks its contract up by id, so a scan of the route table per call is waste. */
const contractsById: ReadonlyMap<string, RouteContract> = new Map(
  kequnRoutes.map((route) => [route.id, route]),
);

function contractOf(id: string): RouteContract {
  const contract = contractsById.get(id);
  if (contract === undefined) throw new TypeError(`No route "${id}" in the Kequn API.`);
  return contract;
}

export class KequnClient {
  readonly #options: KequnClientOptions;
  readonly #transport: Transport;

  constructor(options: KequnClientOptions) {
    this.#options = options;
    this.#transport = options.transport ?? fetchTransport();
  }

  /** Calls a JSON route; throws ProblemError for any 4xx/5xx. */
  async call<Id extends JsonRouteId>(
    id: Id,
    ...args: OptionalWhenEmpty<InputOf<Id>>
  ): Promise<OutputOf<Id>> {
    const contract = contractOf(id);
    const response = await this.#send(contract, args[0] ?? {}, 'application/json');
    const body: unknown = await response.json();
    if (this.#options.validateResponses !== true) return body as OutputOf<Id>;
    return contract.response.parse(body) as OutputOf<Id>;
  }

  /** Calls a server-sent-events route and yields each event's data. */
  async *stream<Id extends StreamRouteId>(
    id: Id,
    ...args: OptionalWhenEmpty<InputOf<Id>>
  ): AsyncGenerator<OutputOf<Id>> {
    const contract = contractOf(id);
    const response = await this.#send(contract, args[0] ?? {}, 'text/event-stream');
    if (response.body === null) return;
    for await (const event of readEventStream(response.body)) {
      yield (
        this.#options.validateResponses === true ? contract.response.parse(event) : event
      ) as OutputOf<Id>;
    }
  }

  async #send(
    contract: RouteContract,
    input: { params?: unknown; query?: unknown; body?: unknown },
    accept: string,
  ): Promise<Response> {
    const url = `${this.#options.baseUrl.replace(/\/$/, '')}${pathOf(contract.path, input.params as Record<string, unknown> | undefined)}${queryString(input.query as Record<string, unknown> | undefined)}`;
    const headers = new Headers({ accept });
    const token =
      typeof this.#options.token === 'function' ? await this.#options.token() : this.#options.token;
    if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
    let body: string | undefined;
    if (contract.body !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(input.body ?? {});
    }
    const response = await this.#transport(
      new Request(url, {
        method: contract.method.toUpperCase(),
        headers,
        ...(body === undefined ? {} : { body }),
      }),
    );
    if (!response.ok) throw await problemOf(response);
    return response;
  }
}

export function createKequnClient(options: KequnClientOptions): KequnClient {
  return new KequnClient(options);
}

export { ProblemError };
