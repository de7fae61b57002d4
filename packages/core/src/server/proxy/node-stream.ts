/** Writes a streamed answer (Server-Sent Events) to a `node:http` response as it comes. */

/** The parts of `ServerResponse` a streamed answer needs besides `writeHead` and `end`. */
export interface NodeStreamingResponse {
  writeHead(status: number, headers: Record<string, string>): unknown
  end(body: Uint8Array): unknown
  write(chunk: Uint8Array): unknown
  flushHeaders?(): void
  on(event: 'close', listener: () => void): unknown
}

export function isStreamed(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').startsWith('text/event-stream')
}

/**
 * Pipes `body` chunk by chunk; when the client goes away (`close`) the body is cancelled,
 * which closes the stream at its source.
 */
export async function pipeStreamed(
  status: number,
  headers: Record<string, string>,
  body: ReadableStream<Uint8Array>,
  res: NodeStreamingResponse,
): Promise<void> {
  res.writeHead(status, headers)
  res.flushHeaders?.()
  const reader = body.getReader()
  let gone = false
  res.on('close', () => {
    gone = true
    reader.cancel().catch(() => {})
  })
  try {
    for (;;) {
      const chunk = await reader.read()
      if (chunk.done || gone) break
      res.write(chunk.value)
    }
  } catch {
    // The source failed or was cancelled: end the response either way.
  }
  if (!gone) res.end(new Uint8Array(0))
}
