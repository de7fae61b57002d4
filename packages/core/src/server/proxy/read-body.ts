import { reject } from './responses.js'

/** Largest request body the proxy reads, in bytes (DESIGN.md: 1 KiB). */
export const MAX_BODY_BYTES = 1024

function tooLarge() {
  return reject('payload_too_large', `The body must not exceed ${MAX_BODY_BYTES} bytes`)
}

/**
 * Reads the body as UTF-8 text, refusing (413) a declared or actual size over
 * {@link MAX_BODY_BYTES} without buffering more than that.
 */
export async function readBody(request: Request): Promise<string> {
  const declared = request.headers.get('content-length')
  if (declared !== null && !(Number(declared) <= MAX_BODY_BYTES)) throw tooLarge()
  const bytes = new Uint8Array(MAX_BODY_BYTES)
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
      if (length + chunk.value.byteLength > MAX_BODY_BYTES) {
        reader.cancel().catch(() => {})
        throw tooLarge()
      }
      bytes.set(chunk.value, length)
      length += chunk.value.byteLength
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      bytes.subarray(0, length),
    )
  } catch {
    throw reject('bad_request', 'The body must be UTF-8 JSON')
  }
}
