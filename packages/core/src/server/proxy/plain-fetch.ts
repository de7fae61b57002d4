/** The fetch-standard side of a plain handler: `Request` in, `Response` out. */
import type { ProxyRequestContext } from './options.js'
import type { FetchStyleHandler, PlainAnswer, PlainHandler, PlainRequest } from './plain-http.js'
import { readBytes } from './read-body.js'

/** A `Request` (and what the runtime knows besides) seen as a {@link PlainRequest}. */
class FetchPlainRequest implements PlainRequest {
  readonly url: URL
  readonly pathname: string
  readonly clientAddress: string | undefined
  readonly #request: Request
  readonly #consumed: boolean

  constructor(request: Request, context: ProxyRequestContext) {
    this.#request = request
    this.#consumed = context.bodyConsumed === true
    this.url = new URL(request.url)
    this.pathname = this.url.pathname
    this.clientAddress = context.clientAddress
  }

  get method(): string {
    return this.#request.method
  }

  get bodyConsumed(): boolean {
    return this.#consumed || this.#request.bodyUsed
  }

  header(name: string): string | null {
    return this.#request.headers.get(name)
  }

  bytes(maxBytes: number): Promise<Uint8Array> {
    return readBytes(this.#request, maxBytes)
  }

  toRequest(): Request {
    return this.#request
  }
}

export function plainRequestOf(request: Request, context: ProxyRequestContext = {}): PlainRequest {
  return new FetchPlainRequest(request, context)
}

export function responseOf(answer: PlainAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers })
}

/** A handler both adapters can serve: the fetch-standard call, with its plain core attached. */
export type DualHandler = FetchStyleHandler & { readonly plain: PlainHandler }

/**
 * Wraps a plain handler as a fetch-standard one (`Request` in, `Response` out, for Workers,
 * Deno, Bun, Next.js, Hono, …) that keeps the plain handler as `plain`, so `toNodeHandler` of
 * the result calls the plain handler directly. `basePath` and `allow` are what `toNodeHandler`
 * reads: the mount path (other paths go to `next`) and the `Allow` of the 405 it answers itself.
 */
export function toFetchHandler(
  plain: PlainHandler,
  info: { basePath?: string | undefined; allow?: string | undefined } = {},
): DualHandler {
  const handler = async (request: Request, context?: ProxyRequestContext) =>
    responseOf(await plain(plainRequestOf(request, context)))
  return Object.defineProperties(handler, {
    plain: { value: plain, enumerable: true },
    basePath: { value: info.basePath, enumerable: true },
    allow: { value: info.allow, enumerable: true },
  }) as DualHandler
}
