import { MAX_WEBHOOK_BYTES } from '../events/webhook.js'
import {
  answerBody,
  byteLength,
  collectBody,
  header,
  type NodeBodySource,
  rawBytes,
} from './node-body.js'
import { isStreamed, type NodeStreamingResponse, pipeStreamed } from './node-stream.js'
import type { ProxyRequestContext } from './options.js'
import { MAX_BODY_BYTES } from './read-body.js'

/** The parts of `node:http`'s `IncomingMessage` (or Express's request) the adapter uses. */
export interface NodeRequestLike extends NodeBodySource {
  method?: string | undefined
  url?: string | undefined
  /** Express keeps the full path here when the handler is mounted on a sub-path. */
  originalUrl?: string | undefined
  socket?:
    | { remoteAddress?: string | undefined; encrypted?: boolean | undefined }
    | null
    | undefined
  /** `'2.0'` on `node:http2`'s compatibility API. */
  httpVersion?: string | undefined
  /** Set when a body parser already consumed the stream. */
  readableEnded?: boolean | undefined
  /** What a body parser left: used only when it is the raw bytes (a Buffer or a string). */
  body?: unknown
  /** The raw bytes some frameworks and parsers keep (`rawBody` options, `verify` hooks). */
  rawBody?: unknown
}

/** The parts of `node:http`'s `ServerResponse` the adapter uses (`write`/`on` for streams). */
export interface NodeResponseLike {
  headersSent?: boolean | undefined
  writeHead(status: number, headers: Record<string, string>): unknown
  end(body: Uint8Array | string): unknown
  write?(chunk: Uint8Array): unknown
  flushHeaders?(): void
  on?(event: 'close', listener: () => void): unknown
}

function canStream(res: NodeResponseLike): res is NodeResponseLike & NodeStreamingResponse {
  return typeof res.write === 'function' && typeof res.on === 'function'
}

export type FetchStyleHandler = ((
  request: Request,
  context?: ProxyRequestContext,
) => Promise<Response>) & {
  readonly basePath?: string
  /** The methods the handler serves, for the `Allow` of a 405 the adapter answers itself. */
  readonly allow?: string
}

export interface NodeHandlerOptions {
  /**
   * Largest body read, in bytes (default {@link MAX_BODY_BYTES}; the proxy's webhook path takes
   * 64 KiB); past it one more chunk at most.
   */
  maxBodyBytes?: number | undefined
}

export type NodeHandler = (
  req: NodeRequestLike,
  res: NodeResponseLike,
  next?: (error?: unknown) => void,
) => Promise<void>

/** Methods a `Request` cannot carry (WHATWG fetch forbids them). */
const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK'])

const encoder = new TextEncoder()

function urlOf(req: NodeRequestLike, headers: Headers): URL {
  const scheme = header(req.headers[':scheme'])
  const protocol = scheme === 'https' || req.socket?.encrypted ? 'https' : 'http'
  const host = headers.get('host') ?? 'localhost'
  return new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`)
}

/** The request's headers; HTTP/2's `:authority` becomes the Host the same-origin check reads. */
function headersOf(req: NodeRequestLike): Headers {
  const headers = new Headers()
  for (const name in req.headers) {
    const joined = header(req.headers[name])
    if (joined !== undefined && name.charCodeAt(0) !== 58) headers.append(name, joined)
  }
  const authority = header(req.headers[':authority'])
  if (authority !== undefined && !headers.has('host')) headers.set('host', authority)
  return headers
}

interface Conversion {
  request: Request
  cutShort: boolean
  /** The stream was read before the adapter ran and no raw bytes were kept. */
  bodyConsumed: boolean
}

async function toRequest(
  req: NodeRequestLike,
  url: URL,
  headers: Headers,
  method: string,
  limit: number,
): Promise<Conversion> {
  if (method === 'GET' || method === 'HEAD') {
    return { request: new Request(url, { method, headers }), cutShort: false, bodyConsumed: false }
  }
  const kept = rawBytes(req.rawBody) ?? (req.readableEnded ? rawBytes(req.body) : null)
  if (kept !== null || req.readableEnded) {
    headers.delete('content-length')
    const request = new Request(url, { method, headers, body: kept })
    return { request, cutShort: false, bodyConsumed: kept === null }
  }
  const { bytes, cutShort } = await collectBody(req, limit)
  return {
    request: new Request(url, { method, headers, body: bytes }),
    cutShort,
    bodyConsumed: false,
  }
}

const FAILURES = {
  400: { code: 'bad_request', message: 'Malformed request' },
  405: { code: 'method_not_allowed', message: 'Method not allowed' },
  503: { code: 'upstream_unavailable', message: 'The license service is temporarily unavailable' },
} as const

function fail(
  res: NodeResponseLike,
  status: keyof typeof FAILURES,
  http2: boolean,
  allow?: string,
): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    vary: 'Origin',
    'x-content-type-options': 'nosniff',
    ...(http2 ? {} : { connection: 'close' }),
  }
  if (allow !== undefined) headers.allow = allow
  res.writeHead(status, headers)
  res.end(encoder.encode(JSON.stringify({ ok: false, error: FAILURES[status] })))
}

async function send(res: NodeResponseLike, response: Response, close: boolean): Promise<void> {
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  if (close) headers.connection = 'close'
  if (isStreamed(response) && canStream(res)) {
    await pipeStreamed(response, headers, res)
    return
  }
  const body = await answerBody(response)
  const length = byteLength(body)
  if (length > 0) headers['content-length'] = String(length)
  res.writeHead(response.status, headers)
  res.end(body)
}

/**
 * Adapts a fetch-style handler (such as `createLicenseProxy`'s) to a `node:http` listener
 * `(req, res)`, which also works as Express or Connect middleware `(req, res, next)`: with
 * `next`, requests outside the handler's `basePath` are passed on. The client address comes
 * from `req.socket.remoteAddress`. The URL is built from the Host header (HTTP/2's
 * `:authority`, which also becomes the Host header the same-origin check reads; `https` on a
 * TLS socket or for `:scheme: https`) and `originalUrl` when Express mounted the handler on a
 * sub-path. Bodies are buffered (they are small: anything over the limit is cut short and the
 * connection closed after the answer); `CONNECT`/`TRACE`/`TRACK`, which a `Request` cannot
 * carry, get 405 with the handler's `allow`.
 */
export function toNodeHandler(
  handler: FetchStyleHandler,
  options: NodeHandlerOptions = {},
): NodeHandler {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES
  const basePath = handler.basePath
  return async (req, res, next) => {
    const http2 = req.httpVersion === '2.0'
    let url: URL
    let headers: Headers
    try {
      headers = headersOf(req)
      url = urlOf(req, headers)
    } catch {
      fail(res, 400, http2)
      return
    }
    if (next && basePath !== undefined) {
      const { pathname } = url
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) {
        next()
        return
      }
    }
    const method = (req.method ?? 'GET').toUpperCase()
    if (FORBIDDEN_METHODS.has(method)) {
      fail(res, 405, http2, handler.allow)
      return
    }
    try {
      const bodyLimit = url.pathname === `${basePath}/webhook` ? MAX_WEBHOOK_BYTES : limit
      const { request, cutShort, bodyConsumed } = await toRequest(
        req,
        url,
        headers,
        method,
        bodyLimit,
      )
      const response = await handler(request, {
        clientAddress: req.socket?.remoteAddress,
        bodyConsumed,
      })
      await send(res, response, cutShort && !http2)
    } catch (error) {
      if (next) next(error)
      else if (!res.headersSent) fail(res, 503, http2)
    }
  }
}
