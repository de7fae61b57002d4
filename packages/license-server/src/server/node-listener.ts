import type { IncomingMessage, ServerResponse } from 'node:http'
import { MAX_BODY_BYTES } from '../api/read-body.js'

export type FetchHandler = (request: Request) => Promise<Response>

/**
 * Reads at most {@link MAX_BODY_BYTES} + 1 bytes and resolves as soon as it has them; the
 * rest of an oversized body is discarded as it arrives (the handler answers 413 from the
 * truncated bytes, and the connection is closed after the answer).
 */
function collectBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const settle = () => {
      if (settled) return
      settled = true
      resolve(Buffer.concat(chunks))
    }
    req.on('data', (chunk: Buffer) => {
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
      size += chunk.length
      if (size > MAX_BODY_BYTES) settle()
    })
    req.on('end', settle)
    req.on('error', reject)
  })
}

function declaredTooLarge(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  }
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  const body = hasBody && !declaredTooLarge(req) ? new Uint8Array(await collectBody(req)) : null
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body })
}

async function writeResponse(res: ServerResponse, response: Response, close: boolean) {
  const body = Buffer.from(await response.arrayBuffer())
  const headers: Record<string, string> = Object.fromEntries(response.headers)
  headers['content-length'] = String(body.length)
  if (close) headers.connection = 'close'
  res.writeHead(response.status, headers)
  res.end(body)
}

/**
 * Adapts a fetch-style handler to a `node:http` listener. `shouldClose()` is asked per
 * request: true while the server shuts down, so kept-alive connections end after their answer.
 */
export function toNodeListener(handler: FetchHandler, origin: string, shouldClose: () => boolean) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const request = await toRequest(req, origin)
      const response = await handler(request)
      const oversized = !req.complete
      await writeResponse(res, response, oversized || shouldClose())
    } catch {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ message: 'Bad request' }))
    }
  }
}
