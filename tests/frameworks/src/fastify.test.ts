import { toNodeHandler } from '@licensekit/core/server'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, it } from 'vitest'
import {
  expectBodyConsumed,
  expectRecipeWorks,
  recipeProxy,
  validate,
} from './test-support/recipes.js'

const apps: FastifyInstance[] = []
afterEach(() => Promise.all(apps.splice(0).map((app) => app.close())))

async function start(app: FastifyInstance): Promise<string> {
  apps.push(app)
  return app.listen({ port: 0, host: '127.0.0.1' })
}

describe('Fastify 5', () => {
  it('serves the proxy from a scope that leaves the body unread', async () => {
    const { proxy, calls } = recipeProxy()
    const licenseHandler = toNodeHandler(proxy)
    const app = Fastify()
    app.register(async (scope) => {
      scope.removeAllContentTypeParsers()
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null))
      scope.all('/api/license/*', async (request, reply) => {
        reply.hijack()
        await licenseHandler(request.raw, reply.raw)
      })
    })
    app.get('/health', async () => 'ok')
    await expectRecipeWorks(await start(app), calls)
  })

  it("answers 500 body_consumed behind Fastify's default JSON parser", async () => {
    const { proxy, calls, logs } = recipeProxy()
    const licenseHandler = toNodeHandler(proxy)
    const app = Fastify()
    app.post('/api/license/*', async (request, reply) => {
      reply.hijack()
      await licenseHandler(request.raw, reply.raw)
    })
    const origin = await start(app)
    await expectBodyConsumed(await validate(origin, origin), calls, logs)
  })
})
