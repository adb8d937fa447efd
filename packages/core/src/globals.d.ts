// The kernel is isomorphic: it compiles without DOM or Node typings. These are the only host
// globals it relies on, all present in browsers, Node, Deno and workers alike.
declare const console: {
  debug(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
};
declare function setTimeout(handler: () => void, timeout?: number): unknown;
declare function clearTimeout(id: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
/** UTF-8 bytes to text: stored customer documents may arrive as bytes (customer-document.ts). */
declare class TextDecoder {
  decode(input?: Uint8Array): string;
}
/** Only named in the channel contract; adapters use the host's full AbortSignal. */
interface AbortSignal {
  readonly aborted: boolean;
}
