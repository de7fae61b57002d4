/** Reading a `node:http` request body for `toNodeHandler`: buffered, bounded. */

/** The request-side parts the body reader uses: its headers and its stream events. */
export interface NodeBodySource {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  on(event: 'end', listener: () => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
  off(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown
  off(event: 'end', listener: () => void): unknown
  off(event: 'error', listener: (error: unknown) => void): unknown
}

export interface CollectedBody {
  bytes: Uint8Array<ArrayBuffer>
  /** True when the body was not read to its end (over the limit): close the connection. */
  cutShort: boolean
}

const encoder = new TextEncoder()
const EMPTY = new Uint8Array(0)

export function header(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.join(', ')
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
export function collectBody(req: NodeBodySource, limit: number): Promise<CollectedBody> {
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
    // After `end` the listeners stay: the request emits no more data, and removing three
    // listeners per request showed in the servers' profiles.
    const onEnd = () => {
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

/** Raw bytes a framework kept of a body it already read, or `null` (a parsed object is not). */
export function rawBytes(value: unknown): string | Uint8Array<ArrayBuffer> | null {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return new Uint8Array(value)
  return null
}

const TEXT = /^(?:text\/|application\/(?:[\w.+-]*\+)?json\b)/i

/**
 * A text answer as a string, so `node:http` sends it in one write with the headers; any other
 * body as bytes.
 */
export async function answerBody(response: Response): Promise<string | Uint8Array<ArrayBuffer>> {
  return TEXT.test(response.headers.get('content-type') ?? '')
    ? response.text()
    : new Uint8Array(await response.arrayBuffer())
}

/** The UTF-8 size of `text` without encoding it (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let length = text.length
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at)
    if (code < 0x80) continue
    if (code < 0x800) {
      length += 1
    } else if (code >= 0xd800 && code < 0xdc00 && isLowSurrogate(text.charCodeAt(at + 1))) {
      length += 2
      at++
    } else {
      length += 2
    }
  }
  return length
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code < 0xe000
}

export function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? utf8Length(body) : body.byteLength
}
