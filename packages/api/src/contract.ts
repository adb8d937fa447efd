// A route contract: everything about an endpoint except its handler. The server binds handlers to
// contracts, validates with their schemas and generates the OpenAPI document from them; the client
// takes its types from the same contracts. A package contributes a group of routes as one array.
import type { z } from 'zod';
import type { Permission } from './roles.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/**
 * Who may call a route: `public` (no token), `authenticated` (any valid token) or one permission
 * of the matrix in roles.ts. Data scope is applied on top, inside the handler.
 */
export type RouteAccess = 'public' | 'authenticated' | Permission;

export interface RouteContract {
  /** Stable id, `group.action`: the client's method name and the OpenAPI operationId. */
  readonly id: string;
  readonly method: HttpMethod;
  /** OpenAPI-style path: `/customers/{customerId}`. */
  readonly path: string;
  readonly summary: string;
  /** The OpenAPI tag, usually the group. */
  readonly tag: string;
  readonly access: RouteAccess;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The success body; for a stream, the schema of one event's data. */
  readonly response: z.ZodType;
  /** 'json' (default) or 'event-stream' (server-sent events, one `response` per event). */
  readonly produces?: 'json' | 'event-stream';
  /** 200 by default. */
  readonly successStatus?: 200 | 201;
}

export function defineRoute<const Contract extends RouteContract>(contract: Contract): Contract {
  return contract;
}

type InputOf<Schema> = Schema extends z.ZodType ? z.input<Schema> : never;

type Part<Key extends string, Schema> = [Schema] extends [undefined]
  ? { readonly [K in Key]?: never }
  : Schema extends z.ZodType
    ? object extends z.input<Schema>
      ? { readonly [K in Key]?: InputOf<Schema> }
      : { readonly [K in Key]: InputOf<Schema> }
    : { readonly [K in Key]?: never };

/** What a caller passes to a route: path params, query and body, each typed by the contract. */
export type RouteInput<Contract extends RouteContract> = Part<'params', Contract['params']> &
  Part<'query', Contract['query']> &
  Part<'body', Contract['body']>;

/** What a route returns on success (or, for a stream, each event). */
export type RouteOutput<Contract extends RouteContract> = z.output<Contract['response']>;

/** Fills `{name}` placeholders of a contract path with encoded values. */
export function pathOf(
  path: string,
  params: Readonly<Record<string, unknown>> | undefined,
): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) {
      throw new TypeError(`The path ${path} needs the parameter "${name}".`);
    }
    return encodeURIComponent(String(value));
  });
}
