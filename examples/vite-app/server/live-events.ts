import type { EventBus, RateLimitStore } from '@licensekit/core/server'
import { createRedisEventBus, createRedisRateLimitStore } from '@licensekit/redis'
import { createClient } from 'redis'

/** What the proxy gets from Redis, and how to let go of it. */
export interface SharedState {
  eventBus: EventBus
  rateLimitStore: RateLimitStore
  close(): Promise<void>
}

/**
 * Connects to `url` and returns the Redis event bus and rate-limit store, so several demo
 * instances share limits and live events. Connection errors are logged, never thrown later:
 * while Redis is away, rate limits let requests through and webhooks answer 503.
 */
export async function connectSharedState(
  url: string,
  log: (line: string) => void,
): Promise<SharedState> {
  const client = createClient({ url })
  client.on('error', (error: Error) => log(`redis: ${error.message}`))
  await client.connect()
  const eventBus = await createRedisEventBus(client, {
    onError: (error) => log(`redis events: ${error instanceof Error ? error.message : error}`),
  })
  return {
    eventBus,
    rateLimitStore: createRedisRateLimitStore(client, {
      onError: (error) =>
        log(`redis rate limit: ${error instanceof Error ? error.message : error}`),
    }),
    async close() {
      await eventBus.close().catch(() => {})
      client.destroy()
    },
  }
}
