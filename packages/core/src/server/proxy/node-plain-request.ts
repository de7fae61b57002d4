/** A `node:http` request seen as a {@link PlainRequest}: no `Request` unless a hook asks. */
import { collectBody, header, type NodeBodySource, rawBytes } from './node-body.js'
import type { PlainRequest } from './plain-http.js'
import { checkDeclaredLength, tooLarge } from './read-body.js'

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

/** The body as the adapter read it, before the handler runs. */
export interface NodeBody {
  /** `null` for none: `GET`/`HEAD`, or a stream read by a framework that kept nothing. */
  bytes: string | Uint8Array<ArrayBuffer> | null
  /** Not read to its end (over the limit): refuse it, and close the connection after. */
  cutShort: boolean
  /** The bytes came off the wire, so the request's `Content-Length` describes them. */
  fromWire: boolean
  /** A framework read the stream before the adapter and kept no raw bytes. */
  consumed: boolean
}

const NO_BODY: NodeBody = { bytes: null, cutShort: false, fromWire: true, consumed: false }
const encoder = new TextEncoder()
const EMPTY = new Uint8Array(0)

/** Buffers the body (at most `limit` and one chunk), or takes what a framework kept of it. */
export async function readNodeBody(
  req: NodeRequestLike,
  method: string,
  limit: number,
): Promise<NodeBody> {
  if (method === 'GET' || method === 'HEAD') return NO_BODY
  const kept = rawBytes(req.rawBody) ?? (req.readableEnded ? rawBytes(req.body) : null)
  if (kept !== null || req.readableEnded) {
    return { bytes: kept, cutShort: false, fromWire: false, consumed: kept === null }
  }
  const { bytes, cutShort } = await collectBody(req, limit)
  return { bytes, cutShort, fromWire: true, consumed: false }
}

const COLON = 58

/** A header by lower-case name; HTTP/2's `:authority` stands in for a missing Host. */
export function nodeHeader(req: NodeRequestLike, name: string): string | null {
  if (name.charCodeAt(0) === COLON) return null
  const { headers } = req
  const value = Object.hasOwn(headers, name) ? header(headers[name]) : undefined
  if (value !== undefined) return value
  return name === 'host' ? (header(headers[':authority']) ?? null) : null
}

/** The request URL; throws when the Host cannot be part of one. */
export function nodeUrlOf(req: NodeRequestLike): URL {
  const { base, path } = nodeUrlParts(req)
  return new URL(path, base)
}

function nodeUrlParts(req: NodeRequestLike): { base: string; path: string } {
  const scheme = header(req.headers[':scheme'])
  const protocol = scheme === 'https' || req.socket?.encrypted ? 'https' : 'http'
  const host = nodeHeader(req, 'host') ?? 'localhost'
  return { base: `${protocol}://${host}`, path: req.originalUrl ?? req.url ?? '/' }
}

/** Where a request went: its path, and its URL built when first asked for. */
export interface NodeTarget {
  readonly pathname: string
  url(): URL
}

/**
 * A path whose `pathname` is itself up to the query: no dot segment, percent-escape, backslash,
 * blank or leading `//` for the URL parser to rewrite, and one that cannot make a URL throw.
 */
const PLAIN_PATH = /^\/(?!\/)[\w\-~!$&'()*+,;=:@/]*(?:\?[\x21-\x7e]*)?$/

/**
 * `nodeTarget(req)` for one handler: it builds the URL of a request up front (throwing as
 * {@link nodeUrlOf} does) unless the path is plain and the scheme and Host are those of the
 * last URL it built, which can only make a URL again; then the URL waits until it is read.
 */
export function nodeTargets(): (req: NodeRequestLike) => NodeTarget {
  let knownBase = ''
  return (req) => {
    const { base, path } = nodeUrlParts(req)
    if (base === knownBase && PLAIN_PATH.test(path)) {
      const query = path.indexOf('?')
      let url: URL | undefined
      return {
        pathname: query === -1 ? path : path.slice(0, query),
        url: () => {
          url ??= new URL(path, base)
          return url
        },
      }
    }
    const url = new URL(path, base)
    knownBase = base
    return { pathname: url.pathname, url: () => url }
  }
}

/** The request's headers as `Headers` (HTTP/2 pseudo-headers left out, `:authority` as Host). */
function headersOf(req: NodeRequestLike, withLength: boolean): Headers {
  const headers = new Headers()
  for (const name in req.headers) {
    const value = nodeHeader(req, name)
    if (value !== null) headers.append(name, value)
  }
  const authority = header(req.headers[':authority'])
  if (authority !== undefined && !headers.has('host')) headers.set('host', authority)
  if (!withLength) headers.delete('content-length')
  return headers
}

export class NodePlainRequest implements PlainRequest {
  readonly method: string
  readonly pathname: string
  readonly #req: NodeRequestLike
  readonly #target: NodeTarget
  readonly #body: NodeBody
  #request: Request | undefined

  constructor(req: NodeRequestLike, method: string, target: NodeTarget, body: NodeBody) {
    this.#req = req
    this.method = method
    this.pathname = target.pathname
    this.#target = target
    this.#body = body
  }

  get url(): URL {
    return this.#target.url()
  }

  get clientAddress(): string | undefined {
    return this.#req.socket?.remoteAddress
  }

  get bodyConsumed(): boolean {
    return this.#body.consumed
  }

  header(name: string): string | null {
    return nodeHeader(this.#req, name)
  }

  async bytes(maxBytes: number): Promise<Uint8Array> {
    const body = this.#body
    if (body.fromWire) checkDeclaredLength(this.header('content-length'), maxBytes)
    if (body.cutShort) throw tooLarge(maxBytes)
    const bytes = typeof body.bytes === 'string' ? encoder.encode(body.bytes) : body.bytes
    if (bytes !== null && bytes.byteLength > maxBytes) throw tooLarge(maxBytes)
    return bytes ?? EMPTY
  }

  toRequest(): Request {
    this.#request ??= new Request(this.url, {
      method: this.method,
      headers: headersOf(this.#req, this.#body.fromWire),
      body: this.#body.bytes,
    })
    return this.#request
  }
}
