import { signWebhookBody, WEBHOOK_HEADERS } from '@licensekit/core/server'
import type { OutboxEvent, WebhookOutbox } from '../store/outbox.js'

export interface WebhookSenderOptions {
  outbox: WebhookOutbox
  /** Where every event is POSTed (the proxy's `{basePath}/webhook`). */
  url: string
  /** Signs each body: lowercase hex HMAC-SHA256 of the raw bytes, as ECOSIRE does. */
  secret: string
  fetch?: (input: string, init: RequestInit) => Promise<Response>
  now?: () => number
  /** How often the outbox is read for changes made by other processes, in ms (default 250). */
  pollMs?: number
  /** Deadline of one delivery, in ms (default 5000). */
  timeoutMs?: number
  /** Wait before retry number `attempts` (default {@link retryDelayMs}). */
  retryDelay?: (attempts: number) => number
  log?: (line: string) => void
}

export interface WebhookSender {
  /** Reads the outbox now instead of at the next poll (after a change in this process). */
  wake(): void
  /** Stops after the delivery in flight, if any. */
  stop(): Promise<void>
}

/** Wait before retry `attempts` (1, 2, …): 1 s doubling up to 60 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1))
}

/** A short reason for a failed request: the error's name and, for a network error, its code. */
function failureOf(error: unknown): string {
  if (!(error instanceof Error)) return 'failed'
  const code = (error.cause as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? `${error.name} (${code})` : error.name
}

/** The body ECOSIRE sends: `{id, event, createdAt, data}`. */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({
    id: event.deliveryId,
    event: event.event,
    createdAt: event.createdAt,
    data: event.data,
  })
}

/**
 * Delivers the outbox in order, one event at a time: an event is retried with backoff until
 * the receiver answers 2xx, and nothing after it is sent before it. Delivery is at least once
 * (a crash between the answer and the bookkeeping sends that event again, with the same
 * `X-Ecosire-Delivery`, which receivers deduplicate); nothing is lost across restarts, since
 * the outbox is in the database.
 */
export function startWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const now = options.now ?? Date.now
  const pollMs = options.pollMs ?? 250
  const timeoutMs = options.timeoutMs ?? 5000
  const log = options.log ?? (() => {})
  const retryDelay = options.retryDelay ?? retryDelayMs
  let stopped = false
  let wakeUp: () => void = () => {}

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms)
      wakeUp = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  async function deliver(event: OutboxEvent): Promise<string | null> {
    const body = webhookBody(event)
    try {
      const response = await send(options.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_HEADERS.event]: event.event,
          [WEBHOOK_HEADERS.delivery]: event.deliveryId,
          [WEBHOOK_HEADERS.signature]: await signWebhookBody(options.secret, body),
        },
        body,
      })
      await response.body?.cancel()
      return response.ok ? null : `HTTP ${response.status}`
    } catch (error) {
      return failureOf(error)
    }
  }

  async function step(): Promise<void> {
    const event = options.outbox.next()
    if (event === null) return pause(pollMs)
    const due = event.nextAttemptAt === null ? 0 : Date.parse(event.nextAttemptAt) - now()
    if (due > 0) return pause(Math.min(due, pollMs))
    const failure = await deliver(event)
    if (stopped && failure !== null) return
    if (failure === null) {
      options.outbox.markDelivered(event.id, new Date(now()).toISOString())
      return
    }
    const retryAt = new Date(now() + retryDelay(event.attempts + 1)).toISOString()
    options.outbox.markFailed(event.id, failure, retryAt)
    log(`webhook ${event.event} ${event.deliveryId}: ${failure}, retrying at ${retryAt}`)
  }

  const running = (async () => {
    while (!stopped) {
      try {
        await step()
      } catch (error) {
        log(`webhook sender: ${error instanceof Error ? error.message : String(error)}`)
        await pause(pollMs)
      }
    }
  })()

  return {
    wake: () => wakeUp(),
    async stop() {
      stopped = true
      wakeUp()
      await running
    },
  }
}
