// The Hono application: secure headers, CORS from an allow-list, a body-size limit, then one
// handler per route of the table that authenticates, checks the permission, rate-limits, validates
// input with the contract's schemas, runs the handler and validates the output. Every failure
// becomes an RFC 9457 problem document.
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { cors } from 'hono/cors';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import type { z } from 'zod';
import { hasPermission, type Principal, type Problem } from '@kequn/api';
import type { Authenticator } from './auth.js';
import { problem, problemFor, ServerError, type Issue } from './errors.js';
import { openApiDocument } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import { checkRouteTable, type Audit, type RouteContext, type ServerRoute } from './route-table.js';
import { scopeOf, type DataScope } from './scope.js';
import type { BankState } from './state.js';
import { serverOptionsSchema, type ServerOptions, type ServerOptionsInput } from './options.js';
import { kequnServerRoutes } from './routes/index.js';

export interface KequnAppOptions {
  state: BankState;
  auth: Authenticator;
  /** Route groups added to the built-in ones (a package's `routes/*.ts`). */
  routes?: readonly ServerRoute[];
  options?: ServerOptionsInput;
  /** The clock, as an ISO instant; tests pin it. */
  now?: () => string;
  /** Told about failures the caller only sees as a 500 (never about request data). */
  onInternalError?: (error: unknown, routeId: string) => void;
}

export interface KequnApp {
  readonly app: Hono;
  readonly fetch: (request: Request) => Promise<Response>;
  readonly routes: readonly ServerRoute[];
  readonly options: ServerOptions;
  openApi(): Record<string, unknown>;
}

function honoPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

function problemResponse(body: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

function issuesOfZod(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

function parse<Schema extends z.ZodType>(
  schema: Schema | undefined,
  value: unknown,
  where: string,
): z.output<Schema> | undefined {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ServerError(400, 'KQ_SERVER_INVALID_REQUEST', `The request ${where} is invalid.`, {
    issues: issuesOfZod(result.error, where),
  });
}

async function readJsonBody(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(problem\+)?json\b/i.test(type)) {
    throw new ServerError(
      400,
      'KQ_SERVER_INVALID_REQUEST',
      'The request body must be JSON, sent with content-type: application/json.',
    );
  }
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ServerError(400, 'KQ_SERVER_INVALID_REQUEST', 'The request body is not valid JSON.');
  }
}

function bearerOf(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header === undefined) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,8192})$/i.exec(header.trim());
  return match?.[1];
}

export function createKequnApp(appOptions: KequnAppOptions): KequnApp {
  const options = serverOptionsSchema.parse(appOptions.options ?? {});
  const routes = [...kequnServerRoutes, ...(appOptions.routes ?? [])];
  checkRouteTable(routes);
  const { state, auth } = appOptions;
  const now = appOptions.now ?? (() => new Date().toISOString());
  const limiter = new RateLimiter({
    perSecond: options.rateLimit.perSecond,
    burst: options.rateLimit.burst,
  });
  let document: Record<string, unknown> | undefined;
  const openApi = () => (document ??= openApiDocument(routes));

  const app = new Hono();
  app.use('*', secureHeaders());
  const allowOrigins = cors({
    origin: (origin) =>
      options.cors.origins.includes('*') || options.cors.origins.includes(origin) ? origin : null,
    allowHeaders: ['authorization', 'content-type', 'accept'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    maxAge: 600,
  });
  // Only a browser on another origin sends Origin; gateway and server-to-server calls skip CORS.
  app.use('*', (c, next) =>
    c.req.header('origin') === undefined ? next() : allowOrigins(c, next),
  );
  const limitBody = bodyLimit({
    maxSize: options.limits.bodyBytes,
    onError: (c) =>
      problemResponse(
        problem(
          413,
          'KQ_SERVER_BODY_TOO_LARGE',
          `The request body is larger than ${options.limits.bodyBytes} bytes.`,
          c.req.path,
        ),
      ),
  });
  // GET and HEAD carry no body; skipping the limit there also spares the Node adapter from
  // building a full fetch Request for every list page.
  app.use('*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );

  async function authenticate(c: Context): Promise<Principal> {
    const token = bearerOf(c);
    if (token === undefined)
      throw new ServerError(
        401,
        'KQ_SERVER_UNAUTHENTICATED',
        'This route needs a bearer token (Authorization: Bearer <jwt>).',
      );
    return auth.verify(token);
  }

  function rateLimit(key: string): void {
    if (!options.rateLimit.enabled) return;
    const wait = limiter.take(key, Date.now());
    if (wait > 0)
      throw new ServerError(
        429,
        'KQ_SERVER_RATE_LIMITED',
        `Too many requests; retry in ${wait} s.`,
        { retryAfterSeconds: wait },
      );
  }

  async function handle(c: Context, route: ServerRoute): Promise<Response> {
    const { contract } = route;
    const instance = c.req.path;
    try {
      const principal = contract.access === 'public' ? undefined : await authenticate(c);
      const access = contract.access;
      if (
        principal !== undefined &&
        access !== 'authenticated' &&
        access !== 'public' &&
        !hasPermission(principal.role, access)
      ) {
        throw new ServerError(
          403,
          'KQ_SERVER_FORBIDDEN',
          `The role ${principal.role} lacks the permission ${access}.`,
        );
      }
      rateLimit(
        principal === undefined
          ? `anonymous:${c.req.header('x-forwarded-for') ?? 'local'}`
          : `user:${principal.userId}`,
      );
      const params = parse(contract.params, c.req.param(), 'path');
      const query = parse(contract.query, c.req.query(), 'query');
      const body =
        contract.body === undefined
          ? undefined
          : parse(contract.body, await readJsonBody(c), 'body');
      const actor = principal === undefined ? 'anonymous' : `${principal.role}:${principal.userId}`;
      const audit: Audit = (action, subject, details) =>
        state.store.auditLog.append([
          { at: now(), actor, action, subject, ...(details === undefined ? {} : { details }) },
        ]);
      const scope: DataScope = principal === undefined ? { kind: 'none' } : scopeOf(principal);
      const context: RouteContext<typeof contract> = {
        params,
        query,
        body,
        principal,
        scope,
        state,
        store: state.store,
        auth,
        limits: options.limits,
        audit,
        now,
        // Read on demand: only streams need it, and reading it builds the full fetch Request.
        get signal() {
          return c.req.raw.signal;
        },
        routes,
      };
      const result = await route.handle(context);
      if (contract.produces === 'event-stream')
        return streamEvents(c, route, result as AsyncIterable<unknown>);
      const output = options.validateResponses ? contract.response.parse(result) : result;
      return c.json(output as object, contract.successStatus ?? 200);
    } catch (error) {
      const body = problemFor(error, instance);
      if (body.status >= 500) appOptions.onInternalError?.(error, contract.id);
      const retry =
        error instanceof ServerError && error.retryAfterSeconds !== undefined
          ? { 'retry-after': String(error.retryAfterSeconds) }
          : undefined;
      return problemResponse(body, retry);
    }
  }

  function streamEvents(c: Context, route: ServerRoute, events: AsyncIterable<unknown>): Response {
    return streamSSE(c, async (stream) => {
      try {
        for await (const event of events) {
          if (stream.aborted) return;
          const checked = options.validateResponses ? route.contract.response.parse(event) : event;
          await stream.writeSSE({ data: JSON.stringify(checked) });
        }
      } catch (error) {
        const body = problemFor(error, c.req.path);
        if (body.status >= 500) appOptions.onInternalError?.(error, route.contract.id);
        await stream.writeSSE({ data: JSON.stringify({ type: 'error', problem: body }) });
      }
    });
  }

  for (const route of routes) {
    app.on(route.contract.method.toUpperCase(), honoPath(route.contract.path), (c) =>
      handle(c, route),
    );
  }
  app.notFound((c) =>
    problemResponse(
      problem(
        404,
        'KQ_SERVER_NOT_FOUND',
        `No route ${c.req.method} ${c.req.path}; see /openapi.json.`,
        c.req.path,
      ),
    ),
  );
  app.onError((error, c) => {
    appOptions.onInternalError?.(error, 'app');
    return problemResponse(problemFor(error, c.req.path));
  });

  return {
    app,
    fetch: async (request) => app.fetch(request),
    routes,
    options,
    openApi,
  };
}
