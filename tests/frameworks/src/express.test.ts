import { createServer, type IncomingMessage, type Server } from 'node:http'
import { toNodeHandler } from '@licensekit/core/server'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import {
  close,
  expectBodyConsumed,
  expectRecipeWorks,
  listen,
  recipeProxy,
  validate,
} from './test-support/recipes.js'

const servers: Server[] = []
afterEach(() => Promise.all(servers.splice(0).map(close)))

function start(app: express.Express): Promise<string> {
  const server = createServer(app)
  servers.push(server)
  return listen(server)
}

describe('Express 5', () => {
  it('serves the proxy as middleware mounted before the body parsers', async () => {
    const { proxy, calls } = recipeProxy()
    const app = express()
    app.use(toNodeHandler(proxy))
    app.use(express.json())
    app.get('/health', (_req, res) => {
      res.send('ok')
    })
    await expectRecipeWorks(await start(app), calls)
  })

  it('uses the raw bytes express.json() keeps through its verify hook', async () => {
    const { proxy, calls } = recipeProxy()
    const app = express()
    app.use(
      express.json({
        verify: (req: IncomingMessage & { rawBody?: Buffer }, _res, buffer) => {
          req.rawBody = buffer
        },
      }),
    )
    app.use(toNodeHandler(proxy))
    const origin = await start(app)
    expect((await validate(origin, origin)).status).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it('answers 500 body_consumed when express.json() ran first and kept nothing', async () => {
    const { proxy, calls, logs } = recipeProxy()
    const app = express()
    app.use(express.json())
    app.use(toNodeHandler(proxy))
    const origin = await start(app)
    await expectBodyConsumed(await validate(origin, origin), calls, logs)
  })
})
