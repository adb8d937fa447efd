// The route table: contracts from @kequn/api bound to handlers. Validation, permission checks and
// the OpenAPI document all read the same table, so a route cannot exist without its schemas and
// its permission. A package contributes a group of routes as one array (see routes/*.ts).
import type { z } from 'zod';
import type { Principal, RouteContract, RouteOutput } from '@kequn/api';
import type { KequnStore } from '@kequn/core';
import type { BankState } from './state.js';
import type { DataScope } from './scope.js';
import type { Authenticator } from './auth.js';
import type { ServerLimits } from './options.js';

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

/** Writes one audit entry for the caller; every sensitive action calls it. */
export type Audit = (
  action: 'view' | 'export' | 'unmask' | 'create' | 'update' | 'delete',
  subject: string,
  details?: Record<string, unknown>,
) => Promise<void>;

export interface RouteContext<Contract extends RouteContract> {
  readonly params: Parsed<Contract['params']>;
  readonly query: Parsed<Contract['query']>;
  readonly body: Parsed<Contract['body']>;
  /** Undefined only on public routes. */
  readonly principal: Principal | undefined;
  readonly scope: DataScope;
  readonly state: BankState;
  readonly store: KequnStore;
  readonly auth: Authenticator;
  readonly limits: ServerLimits;
  readonly audit: Audit;
  /** The clock, injectable for tests: ISO instant. */
  readonly now: () => string;
  /** Aborted when the client goes away (streams stop early). */
  readonly signal: AbortSignal;
  /** Every route's contract (for the OpenAPI document). */
  readonly routes: readonly ServerRoute[];
}

export type RouteResult<Contract extends RouteContract> =
  Contract['produces'] extends 'event-stream'
    ? AsyncIterable<RouteOutput<Contract>>
    : RouteOutput<Contract>;

export interface ServerRoute<Contract extends RouteContract = RouteContract> {
  readonly contract: Contract;
  handle(context: RouteContext<Contract>): Promise<RouteResult<Contract>>;
}

/** Binds a handler to its contract; the handler sees parsed, typed input. */
export function route<const Contract extends RouteContract>(
  contract: Contract,
  handle: (context: RouteContext<Contract>) => Promise<RouteResult<Contract>>,
): ServerRoute {
  return { contract, handle } as unknown as ServerRoute;
}

/** Checks that every contract has exactly one handler and no two routes share a method and path. */
export function checkRouteTable(routes: readonly ServerRoute[]): void {
  const seen = new Set<string>();
  const ids = new Set<string>();
  for (const { contract } of routes) {
    const key = `${contract.method} ${contract.path}`;
    if (seen.has(key))
      throw new TypeError(`Two routes answer ${key}; each method and path needs one handler.`);
    if (ids.has(contract.id)) throw new TypeError(`Two routes have the id "${contract.id}".`);
    seen.add(key);
    ids.add(contract.id);
  }
}
