// The node fast path (toNodeHandler calling the proxy's plain core), the node path over a plain
// fetch function (a Request built from req) and the fetch-standard call give the same answers.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { generateSigningKeys } from '../../tokens/keys.js'
import { signWebhookBody } from '../events/webhook-signature.js'
import { createLicenseProxy, type LicenseProxyHandler } from './create-license-proxy.js'
import { type NodeHandler, toNodeHandler } from './node-handler.js'
import type { LicenseProxyOptions } from './options.js'
import { fakeUpstream, KEY, testOptions } from './test-support/fake-upstream.js'
import { serversClosedAfterEach } from './test-support/servers.js'

const HOST = 'app.example'
const OWN = `https://${HOST}`
const ALLOWED = 'https://partner.example'
const WEBHOOK_SECRET = 'webhook-secret-0123456789'
const signing = await generateSigningKeys()

interface Case {
  name: string
  method?: string
  path?: string
  headers?: Record<string, string>
  /** Sent as one piece with Content-Length, or as chunks without (chunked). */
  body?: string | string[]
  /** Requests sent in a row; each answer is compared. */
  times?: number
  /** The body is read by a middleware before the proxy: `raw` keeps its bytes, `gone` does not. */
  consumed?: 'raw' | 'gone'
  options?: Partial<LicenseProxyOptions>
}

const json = { 'content-type': 'application/json' }
const keyBody = JSON.stringify({ key: KEY })
const validate = (name: string, extra: Partial<Case> = {}): Case => ({
  name,
  headers: json,
  body: keyBody,
  ...extra,
})

const cases: Case[] = [
  validate('a same-origin validate', { headers: { ...json, origin: OWN } }),
  validate('a validate from an allowed origin', { headers: { ...json, origin: ALLOWED } }),
  validate('a validate without Origin'),
  validate('a validate with a charset', {
    headers: { 'content-type': 'application/json; charset=UTF-8' },
  }),
  validate('an activate', { path: '/api/license/activate' }),
  validate('a deactivate', { path: '/api/license/deactivate' }),
  validate('a foreign Origin', { headers: { ...json, origin: 'https://evil.example' } }),
  validate('Origin null', { headers: { ...json, origin: 'null' } }),
  validate('an http Origin for the own host', { headers: { ...json, origin: `http://${HOST}` } }),
  validate('text/plain', { headers: { 'content-type': 'text/plain' } }),
  validate('no content type', { headers: {} }),
  validate('a charset other than UTF-8', {
    headers: { 'content-type': 'application/json; charset=latin1' },
  }),
  validate('a malformed key', { body: '{"key":"NOPE"}' }),
  validate('a duplicate field', { body: `{"key":"${KEY}","key":"${KEY}"}` }),
  validate('a domain from the browser', {
    body: JSON.stringify({ key: KEY, domain: 'x.example' }),
  }),
  validate('CR/LF in the key', { body: JSON.stringify({ key: `${KEY}\r\nX: 1` }) }),
  validate('invalid UTF-8', { body: '{"key":"\udc00"}' }),
  validate('truncated JSON', { body: '{"key":' }),
  validate('an empty body', { body: '' }),
  validate('a body over 1 KiB with Content-Length', {
    body: JSON.stringify({ key: 'x'.repeat(2048) }),
  }),
  validate('a chunked body over 1 KiB', { body: ['{"key":"', 'x'.repeat(1500), '"}'] }),
  validate('a chunked body under 1 KiB', { body: ['{"key":', `"${KEY}"}`] }),
  validate('an unknown action', { path: '/api/license/admin' }),
  validate('a nested action path', { path: '/api/license/validate/extra' }),
  validate('the base path alone', { path: '/api/license' }),
  { name: 'GET', method: 'GET', path: '/api/license/validate' },
  { name: 'HEAD', method: 'HEAD', path: '/api/license/validate' },
  validate('PUT', { method: 'PUT' }),
  validate('DELETE', { method: 'DELETE', body: undefined }),
  {
    name: 'an allowed preflight',
    method: 'OPTIONS',
    headers: { origin: ALLOWED, 'access-control-request-method': 'POST' },
  },
  {
    name: 'a same-origin preflight',
    method: 'OPTIONS',
    headers: { origin: OWN, 'access-control-request-method': 'POST' },
  },
  {
    name: 'a preflight from a foreign origin',
    method: 'OPTIONS',
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
  },
  { name: 'a preflight without Origin', method: 'OPTIONS' },
  validate('past the per-client rate limit', {
    times: 3,
    options: { rateLimit: { perClient: { capacity: 2, refillPerSecond: 0.1 } } },
  }),
  validate('past the per-key rate limit', {
    times: 3,
    options: { rateLimit: { perClient: false, perKey: { capacity: 1, refillPerSecond: 0.01 } } },
  }),
  validate('a body a middleware read without keeping it (body_consumed)', { consumed: 'gone' }),
  validate('a body a middleware read, keeping its raw bytes', { consumed: 'raw' }),
  {
    name: 'the JWKS',
    method: 'GET',
    path: '/api/license/jwks',
    options: { signingKeys: [signing.privateJwk] },
  },
  {
    name: 'the JWKS preflight',
    method: 'OPTIONS',
    path: '/api/license/jwks',
    headers: { origin: ALLOWED },
  },
  { name: 'the JWKS without signing keys', method: 'GET', path: '/api/license/jwks' },
  validate('POST to the JWKS', { path: '/api/license/jwks' }),
  validate('a webhook without a signature', {
    path: '/api/license/webhook',
    options: { webhookSecret: WEBHOOK_SECRET },
  }),
  {
    name: 'a signed webhook for an unknown event',
    path: '/api/license/webhook',
    body: '{"id":"d1","event":"x.y","createdAt":"2026-01-01T00:00:00Z","data":{}}',
    headers: {
      ...json,
      'x-ecosire-event': 'x.y',
      'x-ecosire-delivery': 'd1',
      'x-ecosire-signature': await signWebhookBody(
        WEBHOOK_SECRET,
        '{"id":"d1","event":"x.y","createdAt":"2026-01-01T00:00:00Z","data":{}}',
      ),
    },
    options: { webhookSecret: WEBHOOK_SECRET },
  },
  {
    name: 'events with a malformed subscriber',
    method: 'GET',
    path: '/api/license/events?sub=nope',
    options: { webhookSecret: WEBHOOK_SECRET },
  },
  validate('POST to the events', {
    path: '/api/license/events',
    options: { webhookSecret: WEBHOOK_SECRET },
  }),
]

interface Answer {
  status: number
  headers: [string, string][]
  body: string
}

const servers = serversClosedAfterEach()

function proxyFor(item: Case): LicenseProxyHandler {
  return createLicenseProxy(
    testOptions(fakeUpstream().fetch, { allowedOrigins: [ALLOWED], ...item.options }),
  )
}

/** Serves `handler`, with a middleware in front that reads the body when the case says so. */
async function serve(handler: NodeHandler, item: Case): Promise<number> {
  const server = createServer((req, res) => {
    if (!item.consumed) return void handler(req, res)
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (item.consumed === 'raw') Object.assign(req, { rawBody: Buffer.concat(chunks) })
      void handler(req, res)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const sorted = (entries: Iterable<[string, string]>) =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

function nodeAnswer(res: IncomingMessage, body: Buffer): Answer {
  const headers: [string, string][] = []
  for (let at = 0; at < res.rawHeaders.length; at += 2) {
    const name = (res.rawHeaders[at] ?? '').toLowerCase()
    if (name !== 'date') headers.push([name, res.rawHeaders[at + 1] ?? ''])
  }
  return { status: res.statusCode ?? 0, headers: sorted(headers), body: body.toString('utf8') }
}

function send(port: number, item: Case): Promise<Answer> {
  const chunked = Array.isArray(item.body)
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: item.method ?? 'POST',
        path: item.path ?? '/api/license/validate',
        headers: { host: HOST, ...item.headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve(nodeAnswer(res, Buffer.concat(chunks))))
      },
    )
    req.on('error', reject)
    if (chunked) for (const chunk of item.body as string[]) req.write(chunk)
    req.end(chunked ? undefined : item.body)
  })
}

async function fetchPath(proxy: LicenseProxyHandler, item: Case): Promise<Answer> {
  const text = Array.isArray(item.body) ? item.body.join('') : item.body
  const request = new Request(`http://${HOST}${item.path ?? '/api/license/validate'}`, {
    method: item.method ?? 'POST',
    headers: { host: HOST, ...item.headers },
    ...(text === undefined ? {} : { body: text }),
  })
  if (item.consumed === 'gone') await request.text()
  const response = await proxy(request, { clientAddress: '127.0.0.1' })
  return {
    status: response.status,
    headers: sorted(response.headers),
    body: await response.text(),
  }
}

/** What `node:http` adds around an answer: framing and connection headers. */
const FRAMING = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding'])
const withoutFraming = (answer: Answer): Answer => ({
  ...answer,
  headers: answer.headers.filter(([name]) => !FRAMING.has(name)),
})

describe('the node fast path answers as the Request/Response paths do', () => {
  it.each(cases)('$name', async (item) => {
    const fast = proxyFor(item)
    const generic = proxyFor(item)
    const viaFetch = proxyFor(item)
    const fastPort = await serve(toNodeHandler(fast), item)
    const fetchOnly = Object.assign(
      (request: Request, context?: object) => generic(request, context),
      {
        basePath: generic.basePath,
        allow: generic.allow,
      },
    )
    const genericPort = await serve(toNodeHandler(fetchOnly), item)
    for (let round = 0; round < (item.times ?? 1); round++) {
      const fastAnswer = await send(fastPort, item)
      const genericAnswer = await send(genericPort, item)
      expect(fastAnswer).toEqual(genericAnswer)
      if (item.method === 'HEAD') continue
      expect(withoutFraming(fastAnswer)).toEqual(withoutFraming(await fetchPath(viaFetch, item)))
    }
  })

  it('answers TRACE itself, with 405 and the proxy’s Allow, on both node paths', async () => {
    const item: Case = { name: 'TRACE', method: 'TRACE' }
    const proxy = proxyFor(item)
    const fetchOnly = Object.assign((request: Request) => proxy(request), {
      basePath: proxy.basePath,
      allow: proxy.allow,
    })
    const fast = await send(await serve(toNodeHandler(proxyFor(item)), item), item)
    expect(fast).toEqual(await send(await serve(toNodeHandler(fetchOnly), item), item))
    expect(fast.status).toBe(405)
    expect(fast.headers).toContainEqual(['allow', 'POST, OPTIONS'])
  })

  it('gives the hooks a Request with the method, URL, headers and body of the node request', async () => {
    const seen: { url: string; method: string; origin: string | null; body: string }[] = []
    const hooks: Partial<LicenseProxyOptions> = {
      resolveKey: async () => KEY,
      authorize: async (request) => {
        seen.push({
          url: request.url,
          method: request.method,
          origin: request.headers.get('origin'),
          body: await request.text(),
        })
        return true
      },
    }
    const item = validate('installation activate', {
      path: '/api/license/activate?x=1',
      headers: { ...json, origin: OWN },
      options: hooks,
    })
    const answer = await send(await serve(toNodeHandler(proxyFor(item)), item), item)
    expect(answer.status).toBe(200)
    expect(seen).toEqual([
      {
        url: `http://${HOST}/api/license/activate?x=1`,
        method: 'POST',
        origin: OWN,
        body: keyBody,
      },
    ])
  })
})
