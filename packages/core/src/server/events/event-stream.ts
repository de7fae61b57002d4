/** `GET {basePath}/events`: Server-Sent Events, one stream per subscriber, fed by the bus. */
import type { PlainAnswer } from '../proxy/plain-http.js'
import { baseHeaders, type HeaderMap, reject } from '../proxy/responses.js'
import type { EventBus } from './event-bus.js'

export interface KeepAliveTimers {
  setInterval(callback: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

export interface EventStreamOptions {
  bus: EventBus
  /** Open streams allowed per client address. */
  maxStreamsPerClient: number
  /** Interval of the keep-alive comment, in ms. */
  keepAliveMs: number
  timers: KeepAliveTimers
}

interface OpenStream {
  sub: string
  client: string
  write(chunk: string): void
  close(): void
}

/** Chunks a stream may queue for a client that does not read before it is closed. */
const MAX_QUEUED_CHUNKS = 256
const encoder = new TextEncoder()

function eventFrame(event: string): string {
  return `event: license\ndata: ${JSON.stringify({ event })}\n\n`
}

/** The open streams of one proxy instance and the single bus subscription that feeds them. */
export class EventStreams {
  readonly #options: EventStreamOptions
  readonly #bySub = new Map<string, Set<OpenStream>>()
  readonly #perClient = new Map<string, number>()
  #keepAlive: unknown = null
  #subscribed = false

  constructor(options: EventStreamOptions) {
    this.#options = options
  }

  /**
   * Opens a stream for `sub`, closed when `signal` aborts or the reader cancels; throws 429
   * when `client` already holds the maximum.
   */
  open(signal: AbortSignal, sub: string, client: string, extraHeaders: HeaderMap): PlainAnswer {
    const held = this.#perClient.get(client) ?? 0
    if (held >= this.#options.maxStreamsPerClient) {
      throw reject('rate_limited', 'Too many open event streams from this address', {
        retryAfter: 60,
      })
    }
    this.#subscribe()
    let stream: OpenStream | null = null
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        let closed = false
        const opened: OpenStream = {
          sub,
          client,
          write: (chunk) => {
            if (closed) return
            if ((controller.desiredSize ?? 0) < -MAX_QUEUED_CHUNKS) return opened.close()
            controller.enqueue(encoder.encode(chunk))
          },
          close: () => {
            if (closed) return
            closed = true
            this.#remove(opened)
            try {
              controller.close()
            } catch {}
          },
        }
        stream = opened
        this.#add(opened)
        controller.enqueue(encoder.encode(': connected\n\n'))
      },
      cancel: () => stream?.close(),
    })
    signal.addEventListener('abort', () => stream?.close(), { once: true })
    const headers = baseHeaders(extraHeaders)
    headers['content-type'] = 'text/event-stream; charset=utf-8'
    headers['x-accel-buffering'] = 'no'
    return { status: 200, headers, body }
  }

  #subscribe(): void {
    if (this.#subscribed) return
    this.#subscribed = true
    this.#options.bus.subscribe((sub, event) => {
      const frame = eventFrame(event)
      for (const stream of [...(this.#bySub.get(sub) ?? [])]) stream.write(frame)
    })
  }

  #add(stream: OpenStream): void {
    const streams = this.#bySub.get(stream.sub) ?? new Set()
    streams.add(stream)
    this.#bySub.set(stream.sub, streams)
    this.#perClient.set(stream.client, (this.#perClient.get(stream.client) ?? 0) + 1)
    if (this.#keepAlive === null) {
      this.#keepAlive = this.#options.timers.setInterval(() => {
        for (const all of [...this.#bySub.values()])
          for (const open of [...all]) open.write(': keep-alive\n\n')
      }, this.#options.keepAliveMs)
    }
  }

  #remove(stream: OpenStream): void {
    const streams = this.#bySub.get(stream.sub)
    streams?.delete(stream)
    if (streams?.size === 0) this.#bySub.delete(stream.sub)
    const held = (this.#perClient.get(stream.client) ?? 1) - 1
    if (held > 0) this.#perClient.set(stream.client, held)
    else this.#perClient.delete(stream.client)
    if (this.#bySub.size === 0 && this.#keepAlive !== null) {
      this.#options.timers.clearInterval(this.#keepAlive)
      this.#keepAlive = null
    }
  }
}
