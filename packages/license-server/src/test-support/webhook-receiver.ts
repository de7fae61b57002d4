import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedWebhook {
  event: string | undefined
  delivery: string | undefined
  signature: string | undefined
  body: string
}

export interface WebhookReceiver {
  url: string
  /** Every request, retries and duplicates included. */
  received: ReceivedWebhook[]
  /** Accepted deliveries, deduplicated by `X-Ecosire-Delivery`, in arrival order. */
  accepted: ReceivedWebhook[]
  /** The status answered to the next request (default 200). */
  answer: (request: ReceivedWebhook) => number
  close(): Promise<void>
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value
}

/** A webhook receiver on 127.0.0.1 that dedupes by delivery id, as a well-behaved one does. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const seen = new Set<string>()
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    accepted: [],
    answer: () => 200,
    close: async () => {},
  }
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => {
      const webhook: ReceivedWebhook = {
        event: header(req.headers['x-ecosire-event']),
        delivery: header(req.headers['x-ecosire-delivery']),
        signature: header(req.headers['x-ecosire-signature']),
        body,
      }
      receiver.received.push(webhook)
      const status = receiver.answer(webhook)
      if (status === 200 && webhook.delivery !== undefined && !seen.has(webhook.delivery)) {
        seen.add(webhook.delivery)
        receiver.accepted.push(webhook)
      }
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  return receiver
}
