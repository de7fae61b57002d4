import { MAX_WEBHOOK_BYTES } from '../events/webhook.js'
import { isStreamed, type NodeStreamingResponse, pipeStreamed } from './node-stream.js'
import type { ProxyRequestContext } from './options.js'
import { MAX_BODY_BYTES } from './read-body.js'

/** The parts of `node:http`'s `IncomingMessage` (or Express's request) the adapter uses. */
export interface NodeRequestLike {
  method?: string | undefined
  url?: string | undefined
  /** Express keeps the full path here when the handler is mounted on a sub-path. */
  originalUrl?: string | undefined
  headers: Readonly<Record<string, string | readonly string[] | undefined>>
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
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  on(event: 'end', listener: () => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
  off(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  off(event: 'end', listener: () => void): unknown
  off(event: 'error', listener: (error: unknown) => void): unknown
}

/** The parts of `node:http`'s `ServerResponse` the adapter uses (`write`/`on` for streams). */
export interface NodeResponseLike {
  headersSent?: boolean | undefined
  writeHead(status: number, headers: Record<string, string>): unknown
  end(body: Uint8Array): unknown
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
) => Promise<Response>) & { readonly basePath?: string }

export type NodeHandler = (
  req: NodeRequestLike,
  res: NodeResponseLike,
  next?: (error?: unknown) => void,
) => Promise<void>

const encoder = new TextEncoder()

function header(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.join(', ')
}

/**
 * Streams the request body, never holding more than `maxBytes` + one chunk: past that the
 * stream ends early (the handler answers 413) and the rest is discarded.
 */
function bodyStream(
  req: NodeRequestLike,
  state: { cutShort: boolean },
  maxBytes: number,
): ReadableStream<Uint8Array> {
  let received = 0
  let stop = () => {}
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const onData = (chunk: Uint8Array | string) => {
        const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk
        received += bytes.byteLength
        controller.enqueue(new Uint8Array(bytes))
        if (received > maxBytes) {
          state.cutShort = true
          stop()
          controller.close()
        }
      }
      const onEnd = () => {
        stop()
        controller.close()
      }
      const onError = (error: unknown) => {
        stop()
        controller.error(error)
      }
      stop = () => {
        req.off('data', onData)
        req.off('end', onEnd)
        req.off('error', onError)
      }
      req.on('data', onData)
      req.on('end', onEnd)
      req.on('error', onError)
    },
    cancel() {
      state.cutShort = true
      stop()
    },
  })
}

/** Raw bytes a framework kept of a body it already read, or `null` (a parsed object is not). */
function rawBytes(value: unknown): string | Uint8Array<ArrayBuffer> | null {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return new Uint8Array(value)
  return null
}

interface Conversion {
  cutShort: boolean
  /** The stream was read before the adapter ran and no raw bytes were kept. */
  bodyConsumed: boolean
}

function toRequest(req: NodeRequestLike, state: Conversion, basePath: string | undefined): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    const joined = header(value)
    if (joined !== undefined && !name.startsWith(':')) headers.append(name, joined)
  }
  const authority = header(req.headers[':authority'])
  if (authority !== undefined && !headers.has('host')) headers.set('host', authority)
  const scheme = header(req.headers[':scheme'])
  const protocol = scheme === 'https' || req.socket?.encrypted ? 'https' : 'http'
  const host = headers.get('host') ?? 'localhost'
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${protocol}://${host}`)
  const method = (req.method ?? 'GET').toUpperCase()
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers })
  const kept = rawBytes(req.rawBody) ?? (req.readableEnded ? rawBytes(req.body) : null)
  if (kept !== null || req.readableEnded) {
    headers.delete('content-length')
    state.bodyConsumed = kept === null
    return new Request(url, { method, headers, body: kept })
  }
  return new Request(url, {
    method,
    headers,
    body: bodyStream(
      req,
      state,
      url.pathname === `${basePath}/webhook` ? MAX_WEBHOOK_BYTES : MAX_BODY_BYTES,
    ),
    duplex: 'half',
  } as RequestInit)
}

function fail(res: NodeResponseLike, status: 400 | 503, http2: boolean): void {
  const error =
    status === 400
      ? { code: 'bad_request', message: 'Malformed request' }
      : { code: 'upstream_unavailable', message: 'The license service is temporarily unavailable' }
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(http2 ? {} : { connection: 'close' }),
  })
  res.end(encoder.encode(JSON.stringify({ ok: false, error })))
}

/**
 * Adapts a fetch-style handler (such as `createLicenseProxy`'s) to a `node:http` listener
 * `(req, res)`, which also works as Express or Connect middleware `(req, res, next)`: with
 * `next`, requests outside the handler's `basePath` are passed on. The client address comes
 * from `req.socket.remoteAddress`. The URL is built from the Host header (HTTP/2's
 * `:authority`, which also becomes the Host header the same-origin check reads; `https` on a
 * TLS socket or for `:scheme: https`) and `originalUrl` when Express mounted the handler on a
 * sub-path.
 */
export function toNodeHandler(handler: FetchStyleHandler): NodeHandler {
  return async (req, res, next) => {
    const state: Conversion = { cutShort: false, bodyConsumed: false }
    const http2 = req.httpVersion === '2.0'
    let request: Request
    try {
      request = toRequest(req, state, handler.basePath)
    } catch {
      fail(res, 400, http2)
      return
    }
    const basePath = handler.basePath
    if (next && basePath !== undefined) {
      const { pathname } = new URL(request.url)
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) {
        next()
        return
      }
    }
    try {
      const response = await handler(request, {
        clientAddress: req.socket?.remoteAddress,
        bodyConsumed: state.bodyConsumed,
      })
      const headers: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        headers[name] = value
      })
      if (state.cutShort && !http2) headers.connection = 'close'
      if (isStreamed(response) && canStream(res)) {
        await pipeStreamed(response, headers, res)
        return
      }
      const body = new Uint8Array(await response.arrayBuffer())
      res.writeHead(response.status, headers)
      res.end(body)
    } catch (error) {
      if (next) next(error)
      else if (!res.headersSent) fail(res, 503, http2)
    }
  }
}
