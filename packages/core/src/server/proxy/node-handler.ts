import type { ProxyRequestContext } from './options.js'
import { MAX_BODY_BYTES } from './read-body.js'

/** The parts of `node:http`'s `IncomingMessage` (or Express's request) the adapter uses. */
export interface NodeRequestLike {
  method?: string | undefined
  url?: string | undefined
  /** Express keeps the full path here when the handler is mounted on a sub-path. */
  originalUrl?: string | undefined
  headers: Readonly<Record<string, string | readonly string[] | undefined>>
  socket?: { remoteAddress?: string | undefined; encrypted?: boolean | undefined } | null
  /** Set when a body parser already consumed the stream. */
  readableEnded?: boolean
  body?: unknown
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  on(event: 'end', listener: () => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
  off(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  off(event: 'end', listener: () => void): unknown
  off(event: 'error', listener: (error: unknown) => void): unknown
}

/** The parts of `node:http`'s `ServerResponse` the adapter uses. */
export interface NodeResponseLike {
  headersSent?: boolean
  writeHead(status: number, headers: Record<string, string>): unknown
  end(body?: Uint8Array | string): unknown
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
  /** Largest body read, in bytes (default {@link MAX_BODY_BYTES}); past it one more chunk at most. */
  maxBodyBytes?: number
}

export type NodeHandler = (
  req: NodeRequestLike,
  res: NodeResponseLike,
  next?: (error?: unknown) => void,
) => Promise<void>

/** Methods a `Request` cannot carry (WHATWG fetch forbids them). */
const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK'])

const encoder = new TextEncoder()
const EMPTY = new Uint8Array(0)

function header(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.join(', ')
}

interface Body {
  bytes: Uint8Array<ArrayBuffer>
  /** True when the body was not read to its end (over the limit): close the connection. */
  cutShort: boolean
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return chunks[0] as Uint8Array<ArrayBuffer>
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/**
 * Buffers the body, holding at most `limit` + one chunk: past that it resolves early (the
 * handler sees more than `limit` bytes and answers 413) and stops listening. A declared
 * Content-Length over the limit is not read at all.
 */
function collectBody(req: NodeRequestLike, limit: number): Promise<Body> {
  if (Number(header(req.headers['content-length']) ?? 0) > limit) {
    return Promise.resolve({ bytes: EMPTY, cutShort: true })
  }
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = []
    let size = 0
    const stop = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk
      chunks.push(bytes)
      size += bytes.byteLength
      if (size > limit) {
        stop()
        resolve({ bytes: concat(chunks, size), cutShort: true })
      }
    }
    const onEnd = () => {
      stop()
      resolve({ bytes: concat(chunks, size), cutShort: false })
    }
    const onError = (error: unknown) => {
      stop()
      reject(error)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** A body a parser (e.g. `express.json()`) already read, serialised back for the handler. */
function parsedBody(body: unknown): BodyInit | null {
  if (body === undefined || body === null) return null
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return new Uint8Array(body)
  return JSON.stringify(body)
}

function urlOf(req: NodeRequestLike): URL {
  const protocol = req.socket?.encrypted ? 'https' : 'http'
  const host = header(req.headers.host) ?? 'localhost'
  return new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`)
}

function headersOf(req: NodeRequestLike): Headers {
  const headers = new Headers()
  for (const name in req.headers) {
    const joined = header(req.headers[name])
    if (joined !== undefined && name.charCodeAt(0) !== 58) headers.append(name, joined)
  }
  return headers
}

async function toRequest(req: NodeRequestLike, url: URL, method: string, limit: number) {
  const headers = headersOf(req)
  if (method === 'GET' || method === 'HEAD') {
    return { request: new Request(url, { method, headers }), cutShort: false }
  }
  if (req.readableEnded) {
    headers.delete('content-length')
    const body = parsedBody(req.body)
    return { request: new Request(url, { method, headers, body }), cutShort: false }
  }
  const { bytes, cutShort } = await collectBody(req, limit)
  return { request: new Request(url, { method, headers, body: bytes }), cutShort }
}

const TEXT = /^(?:text\/|application\/(?:[\w.+-]*\+)?json\b)/i

/**
 * A text answer as a string, so `node:http` sends it in one write with the headers; any other
 * body as bytes.
 */
async function bodyOf(response: Response): Promise<string | Uint8Array> {
  return TEXT.test(response.headers.get('content-type') ?? '')
    ? response.text()
    : new Uint8Array(await response.arrayBuffer())
}

function utf8Length(text: string): number {
  return encoder.encode(text).byteLength
}

const FAILURES = {
  400: { code: 'bad_request', message: 'Malformed request' },
  405: { code: 'method_not_allowed', message: 'Method not allowed' },
  503: { code: 'upstream_unavailable', message: 'The license service is temporarily unavailable' },
} as const

function fail(res: NodeResponseLike, status: keyof typeof FAILURES, allow?: string): void {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    vary: 'Origin',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  }
  if (allow !== undefined) headers.allow = allow
  res.writeHead(status, headers)
  res.end(encoder.encode(JSON.stringify({ ok: false, error: FAILURES[status] })))
}

/**
 * Adapts a fetch-style handler (such as `createLicenseProxy`'s) to a `node:http` listener
 * `(req, res)`, which also works as Express or Connect middleware `(req, res, next)`: with
 * `next`, requests outside the handler's `basePath` are passed on. The client address comes
 * from `req.socket.remoteAddress`. The URL is built from the Host header (`https` on a TLS
 * socket) and `originalUrl` when Express mounted the handler on a sub-path. Bodies are
 * buffered (they are small: anything over `maxBodyBytes` is cut short and the connection
 * closed after the answer); `CONNECT`/`TRACE`/`TRACK`, which a `Request` cannot carry, get 405
 * with the handler's `allow`.
 */
export function toNodeHandler(
  handler: FetchStyleHandler,
  options: NodeHandlerOptions = {},
): NodeHandler {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES
  const basePath = handler.basePath
  return async (req, res, next) => {
    let url: URL
    try {
      url = urlOf(req)
    } catch {
      fail(res, 400)
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
      fail(res, 405, handler.allow)
      return
    }
    try {
      const { request, cutShort } = await toRequest(req, url, method, limit)
      const response = await handler(request, { clientAddress: req.socket?.remoteAddress })
      const headers: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        headers[name] = value
      })
      if (cutShort) headers.connection = 'close'
      const body = await bodyOf(response)
      const length = typeof body === 'string' ? utf8Length(body) : body.byteLength
      if (length > 0) headers['content-length'] = String(length)
      res.writeHead(response.status, headers)
      res.end(body)
    } catch (error) {
      if (next) next(error)
      else if (!res.headersSent) fail(res, 503)
    }
  }
}
