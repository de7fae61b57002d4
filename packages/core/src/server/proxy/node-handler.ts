import { MAX_WEBHOOK_BYTES } from '../events/webhook.js'
import { answerBody, byteLength } from './node-body.js'
import {
  NodePlainRequest,
  type NodeRequestLike,
  type NodeTarget,
  nodeTargets,
  readNodeBody,
} from './node-plain-request.js'
import { isStreamed, type NodeStreamingResponse, pipeStreamed } from './node-stream.js'
import type { FetchStyleHandler, PlainAnswer, PlainHandler } from './plain-http.js'
import { MAX_BODY_BYTES } from './read-body.js'

export type { FetchStyleHandler, NodeRequestLike }

const EMPTY = new Uint8Array(0)

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

const FAILURES = {
  400: { code: 'bad_request', message: 'Malformed request' },
  405: { code: 'method_not_allowed', message: 'Method not allowed' },
  503: { code: 'upstream_unavailable', message: 'The license service is temporarily unavailable' },
} as const

/** The adapter's own answers, in the proxy's failure shape. */
function failure(status: keyof typeof FAILURES, allow?: string | undefined): PlainAnswer {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    vary: 'Origin',
    'x-content-type-options': 'nosniff',
  }
  if (allow !== undefined) headers.allow = allow
  return { status, headers, body: JSON.stringify({ ok: false, error: FAILURES[status] }) }
}

/**
 * Writes `answer`: a text or bytes body in one `writeHead` + `end`, synchronously; a stream as it
 * comes (the promise settles when it ends).
 */
function write(
  res: NodeResponseLike,
  answer: PlainAnswer,
  close: boolean,
): Promise<void> | undefined {
  // Object.assign, not a spread: adding `content-length` to a spread copy gives every request's
  // headers object a new shape on Node 20 (measured in the license server's bench).
  const headers: Record<string, string> = Object.assign({}, answer.headers)
  if (close) headers.connection = 'close'
  const { status, body } = answer
  if (body instanceof ReadableStream) {
    if (canStream(res)) return pipeStreamed(status, headers, body, res)
    return new Response(body).arrayBuffer().then((bytes) => {
      writeWhole(res, status, headers, new Uint8Array(bytes))
    })
  }
  writeWhole(res, status, headers, body ?? EMPTY)
  return undefined
}

function writeWhole(
  res: NodeResponseLike,
  status: number,
  headers: Record<string, string>,
  body: string | Uint8Array,
): void {
  const length = byteLength(body)
  if (length > 0) headers['content-length'] = String(length)
  res.writeHead(status, headers)
  res.end(body)
}

/** A fetch-style handler on plain requests: builds the `Request`, reads back the `Response`. */
function plainOf(handler: FetchStyleHandler): PlainHandler {
  return async (request) => {
    let fetchRequest: Request
    try {
      fetchRequest = request.toRequest()
    } catch {
      return failure(400)
    }
    const response = await handler(fetchRequest, {
      clientAddress: request.clientAddress,
      bodyConsumed: request.bodyConsumed,
    })
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      headers[name] = value
    })
    const body = isStreamed(response) ? response.body : await answerBody(response)
    return { status: response.status, headers, body }
  }
}

/**
 * Adapts a fetch-style handler (such as `createLicenseProxy`'s) to a `node:http` listener
 * `(req, res)`, which also works as Express or Connect middleware `(req, res, next)`: with
 * `next`, requests outside the handler's `basePath` are passed on. A handler that carries a
 * `plain` core (`createLicenseProxy`, {@link toFetchHandler}) is called on the plain request
 * and answer directly: no `Request`, `Response`, `Headers` or web stream is built unless one of
 * its hooks asks for the `Request`. Any other handler gets a `Request` built from `req`.
 *
 * The client address comes from `req.socket.remoteAddress`. The URL is built from the Host
 * header (HTTP/2's `:authority`, which also stands in for the Host header the same-origin
 * check reads; `https` on a TLS socket or for `:scheme: https`) and `originalUrl` when Express
 * mounted the handler on a sub-path. Bodies are buffered (they are small: anything over the
 * limit is cut short and the connection closed after the answer); `CONNECT`/`TRACE`/`TRACK`,
 * which a `Request` cannot carry, get 405 with the handler's `allow`.
 */
export function toNodeHandler(
  handler: FetchStyleHandler,
  options: NodeHandlerOptions = {},
): NodeHandler {
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES
  const { basePath } = handler
  const webhookPath = `${basePath}/webhook`
  const plain = handler.plain ?? plainOf(handler)
  const targetOf = nodeTargets()
  return async (req, res, next) => {
    const http2 = req.httpVersion === '2.0'
    let target: NodeTarget
    try {
      target = targetOf(req)
    } catch {
      write(res, failure(400), !http2)
      return
    }
    const { pathname } = target
    if (next && basePath !== undefined) {
      if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) {
        next()
        return
      }
    }
    const method = (req.method ?? 'GET').toUpperCase()
    if (FORBIDDEN_METHODS.has(method)) {
      write(res, failure(405, handler.allow), !http2)
      return
    }
    try {
      const bodyLimit = pathname === webhookPath ? MAX_WEBHOOK_BYTES : limit
      const body = await readNodeBody(req, method, bodyLimit)
      const answer = await plain(new NodePlainRequest(req, method, target, body))
      const streaming = write(res, answer, body.cutShort && !http2)
      if (streaming) await streaming
    } catch (error) {
      if (next) next(error)
      else if (!res.headersSent) write(res, failure(503), !http2)
    }
  }
}
