// How a request reaches the server: fetch to a base URL, or any function from Request to Response
// (the server's `app.fetch` in tests, so no port is opened).
export type Transport = (request: Request) => Promise<Response>;

/** fetch to `baseUrl`; pass `fetchImplementation` where the global fetch is not the one to use. */
export function fetchTransport(fetchImplementation: typeof fetch = globalThis.fetch): Transport {
  return (request) => fetchImplementation(request);
}

/** Wraps an in-process handler such as Hono's `app.fetch`. */
export function inProcessTransport(
  handler: (request: Request) => Response | Promise<Response>,
): Transport {
  return async (request) => handler(request);
}
