import { licenseSubject } from '../tokens/claims.js'
import type { LicenseMode } from './options.js'
import type { LicenseRecord } from './record.js'
import type { LicenseStatus } from './types.js'

/** The part of `EventSource` the client uses. */
export interface EventSourceLike {
  readonly readyState: number
  addEventListener(type: string, listener: (event: Event) => void): void
  close(): void
}

export type EventSourceConstructor = new (url: string) => EventSourceLike

/** `EventSource.CLOSED`: the browser gave up and will not reconnect by itself. */
const CLOSED = 2
export const RECONNECT_BASE_MS = 1_000
export const RECONNECT_MAX_MS = 60_000

/** `{endpoint}/events`, with `?sub=<SHA-256 of the key>` for a key (device mode). */
async function eventsUrl(endpoint: string, key: string): Promise<string> {
  return key === '' ? `${endpoint}/events` : `${endpoint}/events?sub=${await licenseSubject(key)}`
}

/** What the stream is for: a key in device mode, the installation's own key otherwise. */
export interface LiveSubscription {
  readonly key?: string
}

export interface SubscriptionInputs {
  leader: boolean
  mode: LicenseMode
  record: LicenseRecord | null
  status: LicenseStatus
}

/**
 * Whether this tab should hold the event stream: only the leader, only for a license the proxy
 * has answered about (licensed or denied) and only while there is a key to hear about.
 */
export function liveSubscription(inputs: SubscriptionInputs): LiveSubscription | null {
  const { leader, mode, record, status } = inputs
  if (!leader || (status !== 'active' && status !== 'grace' && status !== 'denied')) return null
  if (mode === 'installation') return {}
  return record?.key === undefined ? null : { key: record.key }
}

/** Wait before reconnect attempt `attempt` (0-based): doubling from 1 s to 60 s, the upper half jittered. */
export function reconnectDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt)
  return ceiling / 2 + (ceiling / 2) * random()
}

/** What the client gives live events when it creates them. */
export interface LiveEventsContext {
  endpoint: string
  random: () => number
  /** An `event: license` arrived: check with the proxy now. */
  onEvent: () => void
  onError: (error: unknown) => void
}

export interface LiveEventsOptions extends LiveEventsContext {
  EventSource: EventSourceConstructor
}

/**
 * The stream the client follows: given what the tab knows after every change (leader, mode,
 * record, status), it decides whether to hold a stream and for which key; `follow(null)` closes it.
 */
export interface LiveEventStream {
  follow(inputs: SubscriptionInputs | null): void
}

/**
 * The client option `events` (`liveEvents()` from `@licensekit/core/live`): creates the
 * stream of one client, or null where there is no `EventSource`.
 */
export type LiveEventsFeature = (context: LiveEventsContext) => LiveEventStream | null

/**
 * One `EventSource` to `{endpoint}/events` (`?sub=<SHA-256 of the key>` in device mode) while a
 * subscription is followed. The browser's own reconnects (with the server's `retry`) are left to
 * it; once it gives up (`error` with the stream closed), this reconnects with jittered backoff.
 * An event only asks for a check: the state changes through a normal validation, never from here.
 * The stream keeps no history, so the first `open` after a drop asks for one check too: an event
 * sent while it was down is not missed.
 */
export class LiveEvents {
  readonly #options: LiveEventsOptions
  /** The followed subscription's identity: the key, `''` for installation mode, null for none. */
  #target: string | null = null
  #source: EventSourceLike | null = null
  #timer: ReturnType<typeof setTimeout> | undefined
  #attempts = 0
  /** The stream dropped since the last `open`: the next `open` asks for a check. */
  #dropped = false

  constructor(options: LiveEventsOptions) {
    this.#options = options
  }

  follow(subscription: LiveSubscription | null): void {
    const target = subscription === null ? null : (subscription.key ?? '')
    if (target === this.#target) return
    this.#close()
    this.#target = target
    this.#attempts = 0
    this.#dropped = false
    if (target === null) return
    void this.#open(target, eventsUrl(this.#options.endpoint, target))
  }

  async #open(target: string, url: Promise<string>): Promise<void> {
    const href = await url
    if (target !== this.#target || this.#source !== null) return
    try {
      const source = new this.#options.EventSource(href)
      this.#source = source
      source.addEventListener('open', () => {
        if (this.#source !== source) return
        this.#attempts = 0
        if (this.#dropped) this.#options.onEvent()
        this.#dropped = false
      })
      source.addEventListener('license', () => {
        if (this.#source === source) this.#options.onEvent()
      })
      source.addEventListener('error', () => {
        if (this.#source !== source) return
        this.#dropped = true
        if (source.readyState === CLOSED) this.#retry(target, url)
      })
    } catch (error) {
      this.#options.onError(error)
      this.#retry(target, url)
    }
  }

  #retry(target: string, url: Promise<string>): void {
    this.#close()
    this.#dropped = true
    const delay = reconnectDelay(this.#attempts++, this.#options.random)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (target === this.#target) void this.#open(target, url)
    }, delay)
  }

  #close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#source?.close()
    this.#source = null
  }
}

/** Options of {@link liveEvents}. */
export interface LiveEventsConfig {
  /** The `EventSource` constructor; default the global one (none: live events stay off). */
  EventSource?: EventSourceConstructor | undefined
}

/**
 * Live license events for `createLicenseClient({ events: liveEvents() })`: the leader tab keeps
 * one `EventSource` to `{endpoint}/events` and checks with the proxy when an event arrives.
 * Where there is no `EventSource` the client works as without it.
 */
export function liveEvents(config: LiveEventsConfig = {}): LiveEventsFeature {
  return (context) => {
    const EventSource =
      config.EventSource ??
      (typeof globalThis.EventSource === 'function' ? globalThis.EventSource : undefined)
    if (EventSource === undefined) return null
    const events = new LiveEvents({ ...context, EventSource })
    return { follow: (inputs) => events.follow(inputs && liveSubscription(inputs)) }
  }
}
