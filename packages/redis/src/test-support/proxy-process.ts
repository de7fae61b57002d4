/**
 * One proxy instance in its own process, sharing Redis with the others: run with
 * `node --import tsx proxy-process.ts` and REDIS_URL, WEBHOOK_SECRET, NOW set. Prints
 * `listening <port>` once ready; the upstream is faked in-process (always valid). It imports
 * the built `@licensekit/core` (`pnpm test` builds first).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLicenseProxy, toNodeHandler } from '@licensekit/core/server'
import { createRedisEventBus } from '../event-bus.js'
import { createRedisRateLimitStore } from '../rate-limit-store.js'
import { connectedClient } from './redis-server.js'

const client = await connectedClient(String(process.env.REDIS_URL))
const now = Number(process.env.NOW)
const proxy = createLicenseProxy({
  secret: 'test-secret-0123456789abcdef',
  domain: 'shop.example',
  upstream: 'https://license.test/api',
  webhookSecret: String(process.env.WEBHOOK_SECRET),
  eventBus: await createRedisEventBus(client),
  rateLimit: { store: createRedisRateLimitStore(client) },
  now: () => now,
  fetch: async (input, init) => {
    const { key } = JSON.parse(await new Request(input, init).text()) as { key: string }
    return Response.json({
      valid: true,
      license: { key, status: 'active', expiresAt: null },
    })
  },
})
const server = createServer(toNodeHandler(proxy))
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`)
})
