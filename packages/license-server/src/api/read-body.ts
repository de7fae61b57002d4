/** Bodies above this many bytes are refused with 413 before any parsing. */
export const MAX_BODY_BYTES = 4096

export type BodyResult = { ok: true; text: string } | { ok: false; reason: 'too_large' }

/** Reads the body as UTF-8, stopping as soon as it passes {@link MAX_BODY_BYTES}. */
export async function readBody(request: Request): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) return { ok: false, reason: 'too_large' }
  if (!request.body) return { ok: true, text: '' }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel()
      return { ok: false, reason: 'too_large' }
    }
    chunks.push(value)
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') }
}
