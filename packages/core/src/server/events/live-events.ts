/** The proxy's live-event endpoints: options, and routing of `/webhook` and `/events`. */
import { LicenseError } from '../../errors/license-error.js'
import { normalizeLicenseKey } from '../../keys/license-key.js'
import { type ActionContext, runHook } from '../proxy/action-context.js'
import type { CorsDecision } from '../proxy/cors.js'
import type { PlainAnswer } from '../proxy/plain-http.js'
import { baseHeaders, reject } from '../proxy/responses.js'
import { createMemoryEventBus, type EventBus } from './event-bus.js'
import { EventStreams, type KeepAliveTimers } from './event-stream.js'
import { isSubject, subjectOf } from './subject.js'
import { createWebhookReceiver, type WebhookReceiver } from './webhook.js'

export const DEFAULT_MAX_STREAMS_PER_CLIENT = 20
export const DEFAULT_KEEP_ALIVE_MS = 25_000
const MIN_WEBHOOK_SECRET_BYTES = 16

export interface EventStreamSettings {
  /** Open `/events` streams per client address (default 20); more answer 429. */
  maxStreamsPerClient?: number
  /** Interval of the keep-alive comment in ms (default 25,000). */
  keepAliveMs?: number
  /** Timers for the keep-alive (default the global `setInterval`/`clearInterval`). */
  timers?: KeepAliveTimers
}

export interface LiveEventOptions {
  /** ECOSIRE's webhook secret: turns on `POST {basePath}/webhook` (and `/events`). */
  webhookSecret?: string
  /** Carries events between instances (default in memory); turns on `/events`. */
  eventBus?: EventBus
  events?: EventStreamSettings
}

export interface LiveEvents {
  webhook: WebhookReceiver | null
  streams: EventStreams
}

function invalid(message: string): LicenseError {
  return new LicenseError('invalid_config', `createLicenseProxy: ${message}`)
}

function positive(value: number | undefined, fallback: number, name: string): number {
  const chosen = value ?? fallback
  if (!Number.isInteger(chosen) || chosen < 1) throw invalid(`${name} must be a positive integer`)
  return chosen
}

/** `null` when neither `webhookSecret` nor `eventBus` is set: both endpoints stay 404. */
export function resolveLiveEvents(options: LiveEventOptions): LiveEvents | null {
  const { webhookSecret, eventBus, events = {} } = options
  if (webhookSecret === undefined && eventBus === undefined) return null
  if (
    webhookSecret !== undefined &&
    (typeof webhookSecret !== 'string' ||
      new TextEncoder().encode(webhookSecret).length < MIN_WEBHOOK_SECRET_BYTES)
  ) {
    throw invalid(`webhookSecret must be a string of at least ${MIN_WEBHOOK_SECRET_BYTES} bytes`)
  }
  const bus = eventBus ?? createMemoryEventBus()
  if (typeof bus.publish !== 'function' || typeof bus.subscribe !== 'function') {
    throw invalid('eventBus must have publish and subscribe')
  }
  return {
    webhook: webhookSecret === undefined ? null : createWebhookReceiver(webhookSecret, bus),
    streams: new EventStreams({
      bus,
      maxStreamsPerClient: positive(
        events.maxStreamsPerClient,
        DEFAULT_MAX_STREAMS_PER_CLIENT,
        'events.maxStreamsPerClient',
      ),
      keepAliveMs: positive(events.keepAliveMs, DEFAULT_KEEP_ALIVE_MS, 'events.keepAliveMs'),
      timers: events.timers ?? {
        setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
        clearInterval: (handle) =>
          globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
      },
    }),
  }
}

export interface LiveRequest {
  context: ActionContext
  cors: CorsDecision
  client: string
  installation: boolean
}

async function subscriberOf(live: LiveRequest): Promise<string | null> {
  const { context } = live
  const { resolveKey } = context.hooks
  if (live.installation && resolveKey) {
    const stored = await runHook(context, 'resolveKey', () =>
      resolveKey(context.request.toRequest()),
    )
    if (stored === null) return null
    try {
      return await subjectOf(normalizeLicenseKey(stored))
    } catch {
      return null
    }
  }
  const sub = context.request.url.searchParams.get('sub')
  if (!isSubject(sub)) throw reject('bad_request', 'Subscribe with ?sub=<64 lowercase hex>')
  return sub
}

/** Answers `/webhook` and `/events`, or returns `null` for any other endpoint. */
export async function routeLiveEvents(
  events: LiveEvents,
  endpoint: string,
  live: LiveRequest,
): Promise<PlainAnswer | null> {
  const { request } = live.context
  if (endpoint === 'webhook' && events.webhook) return events.webhook(request)
  if (endpoint !== 'events') return null
  if (request.method !== 'GET') {
    throw reject('method_not_allowed', 'Use GET', { headers: { allow: 'GET' } })
  }
  if (!live.cors.allowed) {
    throw reject('forbidden_origin', 'This origin may not call the license proxy')
  }
  const sub = await subscriberOf(live)
  if (sub === null) return { status: 204, headers: baseHeaders(live.cors.headers), body: null }
  const { signal } = request.toRequest()
  return events.streams.open(signal, sub, live.client, live.cors.headers)
}
