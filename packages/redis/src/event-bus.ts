import type { EventBus, LicenseEventListener } from '@licensekit/core/server'
import { type RedisPublisherClient, withTimeout } from './redis-client.js'

export interface RedisEventBusOptions {
  /** The pub/sub channel (default `licensekit:events`); instances that share it share events. */
  channel?: string
  /** Longest wait for a publish, in ms (default 2000); then the webhook answers 503. */
  timeoutMs?: number
  /** Errors of the subscriber connection, and messages on the channel that are not events. */
  onError?: (error: unknown) => void
}

export interface RedisEventBus extends EventBus {
  /** Unsubscribes and closes the subscriber connection (the client you passed stays open). */
  close(): Promise<void>
}

const SUBJECT = /^[0-9a-f]{64}$/
const EVENT = /^[a-z0-9_.]{1,100}$/

function parse(message: string): { sub: string; event: string } | null {
  try {
    const value: unknown = JSON.parse(message)
    if (typeof value !== 'object' || value === null) return null
    const { sub, event } = value as Record<string, unknown>
    if (typeof sub !== 'string' || !SUBJECT.test(sub)) return null
    if (typeof event !== 'string' || !EVENT.test(event)) return null
    return { sub, event }
  } catch {
    return null
  }
}

/**
 * An `EventBus` over Redis pub/sub. `client` must be connected; it publishes, and a duplicate
 * of it (connected here, closed by `close()`) subscribes, as Redis requires a dedicated
 * connection for subscriptions. Resolves once the subscription is active.
 */
export async function createRedisEventBus(
  client: RedisPublisherClient,
  options: RedisEventBusOptions = {},
): Promise<RedisEventBus> {
  const channel = options.channel ?? 'licensekit:events'
  const timeoutMs = options.timeoutMs ?? 2000
  const onError = options.onError ?? (() => {})
  const listeners = new Set<LicenseEventListener>()
  const subscriber = client.duplicate()
  subscriber.on('error', onError)
  await subscriber.connect()
  await subscriber.subscribe(channel, (message) => {
    const parsed = parse(message)
    if (parsed === null) {
      onError(new Error(`Ignored a message on ${channel} that is not a license event`))
      return
    }
    for (const listener of [...listeners]) listener(parsed.sub, parsed.event)
  })
  return {
    async publish(sub, event) {
      await withTimeout(
        client.publish(channel, JSON.stringify({ sub, event })),
        timeoutMs,
        'Redis publish',
      )
    },
    subscribe(listener) {
      const own: LicenseEventListener = (sub, event) => listener(sub, event)
      listeners.add(own)
      return () => {
        listeners.delete(own)
      }
    },
    async close() {
      listeners.clear()
      try {
        await withTimeout(subscriber.unsubscribe(channel), timeoutMs, 'Redis unsubscribe')
      } finally {
        subscriber.destroy()
      }
    },
  }
}
