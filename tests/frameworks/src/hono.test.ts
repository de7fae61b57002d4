import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import {
  close,
  expectBodyConsumed,
  expectRecipeWorks,
  recipeProxy,
  validate,
} from './test-support/recipes.js'

const servers: Server[] = []
afterEach(() => Promise.all(servers.splice(0).map(close)))

function start(app: Hono): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    ) as Server
    servers.push(server)
  })
}

describe('Hono on Node (@hono/node-server)', () => {
  it('serves the proxy from a route that hands it c.req.raw', async () => {
    const { proxy, calls } = recipeProxy()
    const app = new Hono()
    app.all('/api/license/*', (c) =>
      proxy(c.req.raw, { clientAddress: getConnInfo(c).remote.address }),
    )
    app.get('/health', (c) => c.text('ok'))
    await expectRecipeWorks(await start(app), calls)
  })

  it('counts the socket address for rate limits', async () => {
    const { proxy } = recipeProxy({
      rateLimit: { perClient: { capacity: 1, refillPerSecond: 0.001 } },
    })
    const app = new Hono()
    app.all('/api/license/*', (c) =>
      proxy(c.req.raw, { clientAddress: getConnInfo(c).remote.address }),
    )
    const origin = await start(app)
    expect((await validate(origin, origin)).status).toBe(200)
    expect((await validate(origin, origin)).status).toBe(429)
  })

  it('answers 500 body_consumed when middleware read the body with c.req.json()', async () => {
    const { proxy, calls, logs } = recipeProxy()
    const app = new Hono()
    app.use(async (c, next) => {
      await c.req.json()
      await next()
    })
    app.all('/api/license/*', (c) => proxy(c.req.raw))
    const origin = await start(app)
    await expectBodyConsumed(await validate(origin, origin), calls, logs)
  })
})
