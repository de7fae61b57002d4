import { connect, createServer, type Http2Server } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { toNodeHandler } from '@licensekit/core/server'
import { afterEach, describe, expect, it } from 'vitest'
import { FOREIGN, KEY, MASKED, recipeProxy } from './test-support/recipes.js'

const servers: Http2Server[] = []
afterEach(() =>
  Promise.all(
    servers
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  ),
)

async function post(origin: string, authority: string, pageOrigin: string) {
  const session = connect(origin)
  try {
    return await new Promise<{ status: number; body: Record<string, unknown> }>(
      (resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/api/license/validate',
          ':authority': authority,
          'content-type': 'application/json',
          origin: pageOrigin,
        })
        let status = 0
        let text = ''
        stream.setEncoding('utf8')
        stream.on('response', (headers) => {
          status = Number(headers[':status'])
        })
        stream.on('data', (chunk: string) => {
          text += chunk
        })
        stream.on('end', () => resolve({ status, body: JSON.parse(text) }))
        stream.on('error', reject)
        stream.end(JSON.stringify({ key: KEY }))
      },
    )
  } finally {
    session.close()
  }
}

describe('node:http2', () => {
  it('serves the proxy through toNodeHandler, same-origin by :authority', async () => {
    const { proxy, calls } = recipeProxy()
    const licenseHandler = toNodeHandler(proxy)
    const server = createServer((req, res) => void licenseHandler(req, res))
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

    const own = await post(origin, 'shop.example.com', 'https://shop.example.com')
    expect(own.status).toBe(200)
    expect((own.body.license as { key: string }).key).toBe(MASKED)
    const foreign = await post(origin, 'shop.example.com', FOREIGN)
    expect(foreign.status).toBe(403)
    expect(calls).toHaveLength(1)
  })
})
