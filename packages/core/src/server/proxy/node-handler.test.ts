import { createServer, request as httpRequest } from 'node:http'
import { connect, createServer as createHttp2Server } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import { type NodeRequestLike, type NodeResponseLike, toNodeHandler } from './node-handler.js'
import { toFetchHandler } from './plain-fetch.js'
import type { PlainRequest } from './plain-http.js'
import type { RateLimitStore } from './rate-limit.js'
import { fakeUpstream, KEY, MASKED, testOptions } from './test-support/fake-upstream.js'
import { serversClosedAfterEach } from './test-support/servers.js'

const servers = serversClosedAfterEach()

async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function setup(overrides: Parameters<typeof testOptions>[1] = {}) {
  const upstream = fakeUpstream()
  const buckets: string[] = []
  const store: RateLimitStore = {
    async take(bucket) {
      buckets.push(bucket)
      return { allowed: true, retryAfterSeconds: 0 }
    },
  }
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, { rateLimit: { store }, ...overrides }),
  )
  return { proxy, calls: upstream.calls, buckets }
}

/** A raw request, so the test controls Content-Length and chunking. */
function send(
  origin: string,
  path: string,
  options: { headers?: Record<string, string>; chunks?: string[] },
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${origin}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...options.headers } },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    for (const chunk of options.chunks ?? []) req.write(chunk)
    req.end()
  })
}

/** Calls the adapter with a request whose stream a framework already read. */
async function callConsumed(
  proxy: Parameters<typeof toNodeHandler>[0],
  kept: { body?: unknown; rawBody?: unknown },
): Promise<{ status?: number; body?: string }> {
  const written: { status?: number; body?: string } = {}
  const req: NodeRequestLike = {
    method: 'POST',
    url: '/api/license/validate',
    headers: { host: 'app.example', 'content-type': 'application/json', 'content-length': '9' },
    socket: { remoteAddress: '192.0.2.1' },
    readableEnded: true,
    ...kept,
    on: () => undefined,
    off: () => undefined,
  }
  const res: NodeResponseLike = {
    writeHead(status) {
      written.status = status
    },
    end(body) {
      written.body = typeof body === 'string' ? body : new TextDecoder().decode(body)
    },
  }
  await toNodeHandler(proxy)(req, res)
  return written
}

describe('toNodeHandler', () => {
  it('serves the proxy as a node:http listener, with the socket address as client', async () => {
    const { proxy, calls, buckets } = setup()
    const origin = await serve(toNodeHandler(proxy))
    const response = await fetch(`${origin}/api/license/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ key: KEY }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('transfer-encoding')).toBeNull()
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0)
    expect(response.headers.get('access-control-allow-origin')).toBe(origin)
    expect(((await response.json()) as { license: { key: string } }).license.key).toBe(MASKED)
    expect(calls).toHaveLength(1)
    expect(buckets[0]).toBe('client:127.0.0.1')
  })

  it('answers 413 from Content-Length without an upstream call', async () => {
    const { proxy, calls } = setup()
    const origin = await serve(toNodeHandler(proxy))
    const response = await send(origin, '/api/license/validate', {
      headers: { 'content-length': '5000' },
      chunks: ['x'.repeat(5000)],
    })
    expect(response.status).toBe(413)
    expect(JSON.parse(response.body).error.code).toBe('payload_too_large')
    expect(calls).toHaveLength(0)
  })

  it('answers 413 to a chunked body over 1 KiB and closes the connection', async () => {
    const { proxy, calls } = setup()
    const origin = await serve(toNodeHandler(proxy))
    const response = await send(origin, '/api/license/validate', {
      chunks: [`{"key":"${KEY}"`, ' '.repeat(600), ' '.repeat(600), '}'],
    })
    expect(response.status).toBe(413)
    expect(response.headers.connection).toBe('close')
    expect(calls).toHaveLength(0)
  })

  it('passes a chunked body under 1 KiB through', async () => {
    const { proxy, calls } = setup()
    const origin = await serve(toNodeHandler(proxy))
    const response = await send(origin, '/api/license/activate', {
      chunks: ['{"key":', `"${KEY}"`, '}'],
    })
    expect(response.status).toBe(200)
    expect(calls.map((call) => call.action)).toEqual(['validate', 'activate'])
  })

  it('answers other paths itself as a plain listener', async () => {
    const { proxy } = setup()
    const origin = await serve(toNodeHandler(proxy))
    const response = await send(origin, '/elsewhere', { chunks: ['{}'] })
    expect(response.status).toBe(404)
  })

  it('passes other paths to next as middleware', async () => {
    const { proxy } = setup()
    const handler = toNodeHandler(proxy)
    const origin = await serve((req, res) => {
      void handler(req, res, () => {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end('next')
      })
    })
    expect((await send(origin, '/elsewhere', { chunks: ['{}'] })).body).toBe('next')
    expect((await send(origin, '/api/license-other/validate', { chunks: ['{}'] })).body).toBe(
      'next',
    )
    expect(
      (await send(origin, '/api/license/validate', { chunks: [JSON.stringify({ key: KEY })] }))
        .status,
    ).toBe(200)
  })

  it('uses Express originalUrl when mounted on a sub-path', async () => {
    const { proxy, calls } = setup()
    const handler = toNodeHandler(proxy)
    const origin = await serve((req, res) => {
      const mounted = Object.assign(req, {
        originalUrl: req.url,
        url: (req.url ?? '').replace('/api/license', '') || '/',
      })
      void handler(mounted, res, () => {
        res.writeHead(418)
        res.end()
      })
    })
    const response = await send(origin, '/api/license/validate', {
      chunks: [JSON.stringify({ key: KEY })],
    })
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it.each([
    ['a Buffer req.body', { body: Buffer.from(JSON.stringify({ key: KEY })) }],
    ['a string req.body', { body: JSON.stringify({ key: KEY }) }],
    [
      'req.rawBody next to a parsed req.body',
      { body: { key: KEY }, rawBody: Buffer.from(JSON.stringify({ key: KEY })) },
    ],
  ])('uses the raw bytes a framework kept: %s', async (_label, kept) => {
    const { proxy, calls } = setup()
    const written = await callConsumed(proxy, kept)
    expect(written.status).toBe(200)
    expect(JSON.parse(written.body ?? '{}').ok).toBe(true)
    expect(calls[0]?.body.key).toBe(KEY)
  })

  it.each([
    ['an extra field', `{"key":"${KEY}","domain":"evil.example"}`, 400, 'bad_request'],
    ['a duplicate key', `{"key":"${KEY}","key":"OTHER-A1B2-C3D4-E5F6-G7H8"}`, 400, 'bad_request'],
    ['more than 1 KiB', JSON.stringify({ key: KEY.padEnd(2000, ' ') }), 413, 'payload_too_large'],
  ])('checks kept raw bytes like a streamed body: %s', async (_label, text, status, code) => {
    const { proxy, calls } = setup()
    for (const kept of [{ rawBody: Buffer.from(text) }, { body: Buffer.from(text) }]) {
      const written = await callConsumed(proxy, kept)
      expect(written.status).toBe(status)
      expect(JSON.parse(written.body ?? '{}').error.code).toBe(code)
    }
    expect(calls).toHaveLength(0)
  })

  it('answers 500 body_consumed to a body a JSON parser left only as an object', async () => {
    const lines: string[] = []
    const { proxy, calls } = setup({ log: (line) => lines.push(line) })
    const written = await callConsumed(proxy, { body: { key: KEY } })
    expect(written.status).toBe(500)
    expect(JSON.parse(written.body ?? '{}').error.code).toBe('body_consumed')
    expect(lines.join('\n')).toContain('mount the proxy before body parsers')
    expect(calls).toHaveLength(0)
  })

  it('answers 500 body_consumed on a real server whose middleware read the stream first', async () => {
    const { proxy, calls } = setup()
    const handler = toNodeHandler(proxy)
    const origin = await serve((req, res) => {
      req.resume()
      req.on('end', () => void handler(req, res))
    })
    const response = await send(origin, '/api/license/validate', {
      chunks: [JSON.stringify({ key: KEY })],
    })
    expect(response.status).toBe(500)
    expect(JSON.parse(response.body).error.code).toBe('body_consumed')
    expect(calls).toHaveLength(0)
  })

  it('answers 400 to a Host header that makes no URL', async () => {
    const { proxy } = setup()
    const written: { status?: number; headers?: Record<string, string> } = {}
    await toNodeHandler(proxy)(
      {
        method: 'POST',
        url: '/api/license/validate',
        headers: { host: 'bad host:x' },
        on: () => undefined,
        off: () => undefined,
      },
      {
        writeHead(status, headers) {
          written.status = status
          written.headers = headers
        },
        end() {},
      },
    )
    expect(written.status).toBe(400)
    expect(written.headers?.vary).toBe('Origin')
  })

  it.each(['TRACE'])(
    'answers %s, which a Request cannot carry, with 405, Allow and Vary: Origin',
    async (method) => {
      const { proxy, calls } = setup()
      const origin = await serve(toNodeHandler(proxy))
      const answer = await new Promise<{ status: number; headers: Record<string, unknown> }>(
        (resolve, reject) => {
          const req = httpRequest(`${origin}/api/license/validate`, { method }, (res) => {
            res.resume()
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }))
          })
          req.on('error', reject)
          req.end()
        },
      )
      expect(answer.status).toBe(405)
      expect(answer.headers.allow).toBe('POST, OPTIONS')
      expect(answer.headers.vary).toBe('Origin')
      expect(calls).toEqual([])
    },
  )

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])(
    'answers %s with 405, Allow and Vary: Origin',
    async (method) => {
      const { proxy } = setup()
      const origin = await serve(toNodeHandler(proxy))
      const response = await fetch(`${origin}/api/license/validate`, { method })
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('POST, OPTIONS')
      expect(response.headers.get('vary')).toBe('Origin')
    },
  )

  it('hands a throwing handler to next, or answers 503 without next', async () => {
    const failing = Object.assign(async () => Promise.reject(new Error('boom')), {
      basePath: '/api/license',
    })
    const req = (): NodeRequestLike => ({
      method: 'POST',
      url: '/api/license/validate',
      headers: { host: 'app.example' },
      on: (event: string, listener: (...args: never[]) => void) => {
        if (event === 'end') queueMicrotask(() => listener())
      },
      off: () => undefined,
    })
    const errors: unknown[] = []
    await toNodeHandler(failing)(
      req(),
      { writeHead: () => undefined, end: () => undefined },
      (error) => errors.push(error),
    )
    expect(errors).toHaveLength(1)
    const written: { status?: number } = {}
    await toNodeHandler(failing)(req(), {
      writeHead(status) {
        written.status = status
      },
      end() {},
    })
    expect(written.status).toBe(503)
  })
})

describe('toNodeHandler on node:http2', () => {
  async function http2Post(
    headers: Record<string, string>,
  ): Promise<{ status: number; body: string; calls: number }> {
    const { proxy, calls } = setup()
    const server = createHttp2Server((req, res) => void toNodeHandler(proxy)(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const session = connect(`http://127.0.0.1:${port}`)
    try {
      return await new Promise((resolve, reject) => {
        const stream = session.request({
          ':method': 'POST',
          ':path': '/api/license/validate',
          'content-type': 'application/json',
          ...headers,
        })
        let body = ''
        let status = 0
        stream.setEncoding('utf8')
        stream.on('response', (answer) => {
          status = Number(answer[':status'])
        })
        stream.on('data', (chunk: string) => {
          body += chunk
        })
        stream.on('end', () => resolve({ status, body, calls: calls.length }))
        stream.on('error', reject)
        stream.end(JSON.stringify({ key: KEY }))
      })
    } finally {
      session.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  it('serves a same-origin POST, taking the authority from :authority', async () => {
    const response = await http2Post({
      ':authority': 'shop.example.com',
      origin: 'https://shop.example.com',
    })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.body).license.key).toBe(MASKED)
    expect(response.calls).toBe(1)
  })

  it('still refuses a foreign Origin over HTTP/2', async () => {
    const response = await http2Post({
      ':authority': 'shop.example.com',
      origin: 'https://evil.example',
    })
    expect(response.status).toBe(403)
    expect(JSON.parse(response.body).error.code).toBe('forbidden_origin')
    expect(response.calls).toBe(0)
  })
})

describe('toNodeHandler on a plain handler (the fast path)', () => {
  it('calls the plain core, never the fetch function, and writes one writeHead and end', async () => {
    const fetchCalls: Request[] = []
    const handler = Object.assign(
      async (request: Request) => {
        fetchCalls.push(request)
        return new Response('fetch')
      },
      {
        basePath: '/api',
        plain: async (request: PlainRequest) => ({
          status: 201,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'x-seen': request.method },
          body: `${request.url.pathname} ${new TextDecoder().decode(await request.bytes(64))} é`,
        }),
      },
    )
    const calls: string[] = []
    const written: { status?: number; headers?: Record<string, string>; body?: unknown } = {}
    await toNodeHandler(handler)(
      {
        method: 'post',
        url: '/api/x',
        headers: { host: 'a.example' },
        readableEnded: true,
        rawBody: 'hi',
        on: () => undefined,
        off: () => undefined,
      },
      {
        writeHead(status, headers) {
          calls.push('writeHead')
          written.status = status
          written.headers = headers
        },
        end(body) {
          calls.push('end')
          written.body = body
        },
      },
    )
    expect(fetchCalls).toEqual([])
    expect(calls).toEqual(['writeHead', 'end'])
    expect(written.status).toBe(201)
    expect(written.body).toBe('/api/x hi é')
    expect(written.headers).toEqual({
      'content-type': 'text/plain; charset=utf-8',
      'x-seen': 'POST',
      'content-length': String(Buffer.byteLength('/api/x hi é')),
    })
  })

  it('streams a plain answer whose body is a stream', async () => {
    const handler = toFetchHandler(async () => ({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: 1\n\n'))
          controller.close()
        },
      }),
    }))
    const origin = await serve(toNodeHandler(handler))
    const response = await fetch(origin)
    expect(response.headers.get('transfer-encoding')).toBe('chunked')
    expect(await response.text()).toBe('data: 1\n\n')
  })
})
