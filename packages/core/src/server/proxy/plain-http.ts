/**
 * The plain request and answer a handler works on, so one core serves both adapters:
 * `toNodeHandler` calls it straight from `node:http` (no `Request`, `Response`, `Headers` or
 * web stream is built unless a hook asks for a `Request`), and `toFetchHandler` wraps it as the
 * fetch-standard `(request: Request) => Promise<Response>` every other runtime calls. The
 * checks live in the core, once; the adapters only translate. docs/architecture.md, "The node
 * fast path", has the picture.
 */
import type { ProxyRequestContext } from './options.js'

/** A request as a plain handler sees it. */
export interface PlainRequest {
  /** The method as the runtime gave it (the standard methods always upper-case). */
  readonly method: string
  /** Path and query as sent; scheme and host from the request (Host, `:authority`, TLS). */
  readonly url: URL
  /** `url.pathname`, which the node adapter gives without building the URL. */
  readonly pathname: string
  /** A header by lower-case name, repeated values joined with `, `; `null` when absent. */
  header(name: string): string | null
  /** The peer's address: the socket's on Node, the runtime's `clientAddress` elsewhere. */
  readonly clientAddress: string | undefined
  /** True when a framework read the body before the handler and kept no raw bytes. */
  readonly bodyConsumed: boolean
  /**
   * The body. Rejects with `LicenseError('payload_too_large')` when its declared or actual
   * size is over `maxBytes` (on Node also when it is over the adapter's `maxBodyBytes`, past
   * which the adapter stopped reading), `bad_request` when the stream fails.
   */
  bytes(maxBytes: number): Promise<Uint8Array>
  /**
   * The same request as a fetch-standard `Request`, for a hook that takes one: the original
   * under `toFetchHandler`, built on the first call (and kept) under `toNodeHandler`.
   */
  toRequest(): Request
}

/** What a plain handler answers. */
export interface PlainAnswer {
  readonly status: number
  /** Lower-case names. The adapters add `content-length` (and `connection` when needed). */
  readonly headers: Readonly<Record<string, string>>
  /**
   * Text (sent as UTF-8 in one write with the headers), bytes, a stream (written as it comes,
   * for Server-Sent Events; cancelled when the client goes away) or none.
   */
  readonly body: string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null
}

export type PlainHandler = (request: PlainRequest) => Promise<PlainAnswer>

/**
 * A fetch-style handler, as `toNodeHandler` takes it. With `plain` (what `toFetchHandler` and
 * `createLicenseProxy` return carry), `toNodeHandler` calls that instead and builds no
 * `Request`/`Response`.
 */
export type FetchStyleHandler = ((
  request: Request,
  context?: ProxyRequestContext,
) => Promise<Response>) & {
  /** Requests outside it go to `next` when the node handler is used as middleware. */
  readonly basePath?: string | undefined
  /** The methods the handler serves, for the `Allow` of a 405 the node adapter answers itself. */
  readonly allow?: string | undefined
  /** The same handler on plain requests and answers: the node fast path. */
  readonly plain?: PlainHandler | undefined
}
