import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One webhook the relay passed on, with the proxy's answer. */
export interface RelayedWebhook {
  event: string
  status: number
  /** `performance.now()` when the license server's POST arrived. */
  receivedAt: number
}

export interface WebhookRelay {
  /** Where the license server posts its webhooks. */
  url: string
  /** Sets where they go on to (the demo proxy's `/api/license/webhook`). */
  forwardTo(url: string): void
  relayed: RelayedWebhook[]
  close(): Promise<void>
}

const FORWARDED = ['content-type', 'x-ecosire-event', 'x-ecosire-signature', 'x-ecosire-delivery']

function forwardedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of FORWARDED) {
    const value = headers[name]
    if (typeof value === 'string') kept[name] = value
  }
  return kept
}

/**
 * Passes the license server's webhooks on to the demo proxy byte for byte. The license server
 * needs its webhook URL when it is created, before the demo proxy (which needs the license
 * server's address) exists; the relay, listening first, breaks that cycle and counts deliveries.
 */
export async function startWebhookRelay(): Promise<WebhookRelay> {
  let target: string | null = null
  const relayed: RelayedWebhook[] = []
  const server = createServer((req, res) => {
    const receivedAt = performance.now()
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (target === null) {
        res.writeHead(503).end()
        return
      }
      const event = String(req.headers['x-ecosire-event'] ?? '')
      fetch(target, {
        method: 'POST',
        headers: forwardedHeaders(req.headers),
        body: Buffer.concat(chunks),
      })
        .then(async (answer) => {
          relayed.push({ event, status: answer.status, receivedAt })
          res.writeHead(answer.status).end(await answer.text())
        })
        .catch(() => res.writeHead(502).end())
    })
  })
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    forwardTo: (url) => {
      target = url
    },
    relayed,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
