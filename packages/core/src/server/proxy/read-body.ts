import type { PlainRequest } from './plain-http.js'
import { reject } from './responses.js'

/** Largest request body the proxy reads, in bytes (1 KiB). */
export const MAX_BODY_BYTES = 1024

export function tooLarge(maxBytes: number) {
  return reject('payload_too_large', `The body must not exceed ${maxBytes} bytes`)
}

/** Refuses (413) a declared `Content-Length` that is not a number up to `maxBytes`. */
export function checkDeclaredLength(declared: string | null, maxBytes: number): void {
  if (declared !== null && !(Number(declared) <= maxBytes)) throw tooLarge(maxBytes)
}

/**
 * Reads the raw body, refusing (413) a declared or actual size over `maxBytes` without
 * buffering more than that.
 */
export async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  checkDeclaredLength(request.headers.get('content-length'), maxBytes)
  const bytes = new Uint8Array(maxBytes)
  let length = 0
  if (request.body) {
    const reader = request.body.getReader()
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (cause) {
        throw reject('bad_request', 'The body could not be read', { cause })
      }
      if (chunk.done) break
      if (length + chunk.value.byteLength > maxBytes) {
        reader.cancel().catch(() => {})
        throw tooLarge(maxBytes)
      }
      bytes.set(chunk.value, length)
      length += chunk.value.byteLength
    }
  }
  return bytes.subarray(0, length)
}

/** One strict decoder: a `decode()` without `stream` starts afresh every time. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decodes UTF-8 strictly; anything else is a `bad_request`. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    throw reject('bad_request', 'The body must be UTF-8 JSON')
  }
}

/**
 * Reads the body as UTF-8 text, refusing a declared or actual size over `maxBytes` (default
 * {@link MAX_BODY_BYTES}) without buffering more than that. Throws a `LicenseError`:
 * `payload_too_large`, or `bad_request` for a body that cannot be read or is not UTF-8.
 */
export async function readBody(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return decodeUtf8(await readBytes(request, maxBytes))
}

/** {@link readBody} of a {@link PlainRequest}: its `bytes(maxBytes)`, decoded as strict UTF-8. */
export async function readPlainText(
  request: PlainRequest,
  maxBytes = MAX_BODY_BYTES,
): Promise<string> {
  return decodeUtf8(await request.bytes(maxBytes))
}
