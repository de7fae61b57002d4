import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_UPSTREAM_BODY_BYTES } from '../upstream-protocol.js'
import { createLicenseProxy } from './create-license-proxy.js'
import { errorCodeOf, LICENSE, post, SECRET } from './test-support/fake-upstream.js'
import { serversClosedAfterEach } from './test-support/servers.js'
import { fetchExchange, type UpstreamExchange, useDefaultExchange } from './upstream-exchange.js'
import { nodeExchange } from './upstream-exchange-node.js'

const servers = serversClosedAfterEach()

interface Seen {
  method: string
  url: string
  signature: string | undefined
  body: string
}

/** A real HTTP server on 127.0.0.1 that records what reaches it. */
async function serve(respond: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => {
      body += chunk
    })
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        signature: req.headers['x-ecosire-signature'] as string | undefined,
        body,
      })
      respond(req, res)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, seen, server }
}

function proxyTo(upstream: string, logs: string[] = [], timeoutMs?: number) {
  return createLicenseProxy({
    secret: SECRET,
    domain: 'shop.example',
    upstream: `${upstream}/api`,
    rateLimit: false,
    log: (line) => logs.push(line),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  })
}

const platformFetch = fetchExchange((input, init) => globalThis.fetch(input, init))

describe.each<[string, UpstreamExchange]>([
  ['fetch', platformFetch],
  ['node:http (the node entry)', nodeExchange],
])('upstream exchange on %s', (_name, exchange) => {
  beforeAll(() => useDefaultExchange(exchange))
  afterAll(() => useDefaultExchange(platformFetch))

  describe('redirects from the upstream', () => {
    it.each([301, 302, 303, 307, 308])(
      'a %i is not followed: the target receives nothing, the browser gets 503',
      async (status) => {
        const target = await serve((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ valid: true, license: LICENSE }))
        })
        const upstream = await serve((_req, res) => {
          res.writeHead(status, { location: `${target.origin}/api/licenses/validate` })
          res.end()
        })
        const logs: string[] = []
        const response = await proxyTo(upstream.origin, logs)(post('validate'))
        expect(response.status).toBe(503)
        expect(await errorCodeOf(response)).toBe('upstream_unavailable')
        expect(target.seen).toEqual([])
        expect(upstream.seen).toHaveLength(1)
        expect(logs.join('\n')).toMatch(new RegExp(`HTTP ${status}`))
      },
    )

    it('a redirect loop costs one upstream request', async () => {
      const upstream = await serve((req, res) => {
        res.writeHead(307, { location: req.url })
        res.end()
      })
      const response = await proxyTo(upstream.origin)(post('activate'))
      expect(response.status).toBe(503)
      expect(upstream.seen).toHaveLength(1)
    })
  })

  describe('oversized upstream answers', () => {
    /** Streams up to 1 GiB of JSON-looking bytes, counting what the socket accepted. */
    async function flood(declareLength: boolean) {
      const total = 1024 ** 3
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      let written = 0
      let closed: () => void = () => {}
      const done = new Promise<void>((resolve) => {
        closed = resolve
      })
      const upstream = await serve((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(declareLength ? { 'content-length': String(total) } : {}),
        })
        res.write('{"valid":true,"pad":"')
        const pump = () => {
          while (written < total && !res.destroyed) {
            written += chunk.byteLength
            if (!res.write(chunk)) return
          }
          res.end()
        }
        res.on('drain', pump)
        res.on('close', closed)
        pump()
      })
      return { upstream, written: () => written, done }
    }

    it.each([
      ['streamed without a length', false],
      ['with a declared length', true],
    ])(
      'a 1 GiB reply %s is refused after at most a few MiB, and not retried',
      async (_label, declared) => {
        const { upstream, written, done } = await flood(declared)
        const logs: string[] = []
        const response = await proxyTo(upstream.origin, logs)(post('validate'))
        expect(response.status).toBe(503)
        expect(await errorCodeOf(response)).toBe('upstream_unavailable')
        await done
        expect(written()).toBeLessThan(16 * 1024 * 1024)
        expect(upstream.seen).toHaveLength(1)
        expect(logs.join('\n')).toMatch(/exceeded 64 KiB/)
      },
    )

    it('an answer of exactly the cap is read', async () => {
      const head = JSON.stringify({ valid: true, license: LICENSE, pad: '' })
      const pad = ' '.repeat(MAX_UPSTREAM_BODY_BYTES - head.length)
      const upstream = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(`${head}${pad}`)
      })
      const response = await proxyTo(upstream.origin)(post('validate'))
      expect(response.status).toBe(200)
    })
  })

  describe('failures', () => {
    it('answers 503 for an upstream that never answers, after one request', async () => {
      const upstream = await serve(() => {})
      const logs: string[] = []
      const response = await proxyTo(upstream.origin, logs, 200)(post('validate'))
      expect(response.status).toBe(503)
      expect(upstream.seen).toHaveLength(1)
      expect(logs.join('\n')).toMatch(/did not answer in time/)
    })

    it('retries validate once after a reset connection', async () => {
      const upstream = await serve((req, res) => {
        if (upstream.seen.length === 1) {
          req.socket.destroy()
          return
        }
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ valid: true, license: LICENSE }))
      })
      const response = await proxyTo(upstream.origin)(post('validate'))
      expect(response.status).toBe(200)
      expect(upstream.seen).toHaveLength(2)
    })

    it('passes status, Retry-After and body of an answer on', async () => {
      const upstream = await serve((_req, res) => {
        res.writeHead(503, { 'retry-after': '17' })
        res.end('busy')
      })
      const response = await proxyTo(upstream.origin)(post('validate'))
      expect(response.status).toBe(503)
      expect(response.headers.get('retry-after')).toBe('17')
    })
  })
})
