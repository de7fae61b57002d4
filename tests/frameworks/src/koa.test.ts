import { createServer, type Server } from 'node:http'
import { toNodeHandler } from '@licensekit/core/server'
import Koa from 'koa'
import { afterEach, describe, it } from 'vitest'
import { close, expectRecipeWorks, listen, recipeProxy } from './test-support/recipes.js'

const servers: Server[] = []
afterEach(() => Promise.all(servers.splice(0).map(close)))

describe('Koa 3', () => {
  it('serves the proxy from middleware that sets ctx.respond = false', async () => {
    const { proxy, calls } = recipeProxy()
    const licenseHandler = toNodeHandler(proxy)
    const app = new Koa()
    app.use(async (ctx, next) => {
      if (!ctx.path.startsWith(`${proxy.basePath}/`)) return next()
      ctx.respond = false
      await licenseHandler(ctx.req, ctx.res)
    })
    app.use((ctx) => {
      if (ctx.path === '/health') ctx.body = 'ok'
    })
    const server = createServer(app.callback())
    servers.push(server)
    await expectRecipeWorks(await listen(server), calls)
  })
})
