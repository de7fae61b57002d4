import { afterEach, describe, expect, it, vi } from 'vitest'
import { verifySignature } from '../signing.js'
import { createLicenseProxy } from './create-license-proxy.js'
import {
  bodyOf,
  DOMAIN,
  errorCodeOf,
  fakeUpstream,
  healthy,
  json,
  KEY,
  LICENSE,
  MASKED,
  NOW,
  post,
  SECRET,
  testOptions,
  type UpstreamCall,
} from './test-support/fake-upstream.js'

type Responder = NonNullable<Parameters<typeof fakeUpstream>[0]>

function setup(respond?: Responder, overrides: Parameters<typeof testOptions>[1] = {}) {
  const upstream = fakeUpstream(respond)
  const logs: string[] = []
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, { log: (line) => logs.push(line), ...overrides }),
  )
  return { proxy, calls: upstream.calls, logs }
}

function networkError(): TypeError {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  })
}

afterEach(() => {
  vi.useRealTimers()
})

describe('signing and forwarding', () => {
  it('signs exactly {key, domain, timestamp} and sends it as the JSON body', async () => {
    const { proxy, calls } = setup()
    const response = await proxy(post('validate'))
    expect(response.status).toBe(200)
    const [call] = calls as [UpstreamCall]
    expect(call.url).toBe('https://license.test/api/licenses/validate')
    expect(call.body).toEqual({ key: KEY, domain: DOMAIN, timestamp: String(NOW / 1000) })
    expect(call.headers.get('content-type')).toMatch(/^application\/json/)
    expect(call.signature).toMatch(/^[0-9a-f]{64}$/)
    expect(
      await verifySignature(SECRET, call.body as Record<string, string>, call.signature ?? ''),
    ).toBe(true)
  })

  it('answers validate with the masked license and the server time', async () => {
    const { proxy } = setup()
    const body = await bodyOf(await proxy(post('validate')))
    expect(body).toEqual({
      ok: true,
      license: {
        key: MASKED,
        status: 'active',
        expiresAt: '2027-01-01T00:00:00.000Z',
        activationsCount: 1,
        activationsLimit: 3,
        entitlements: {},
      },
      checkedAt: new Date(NOW).toISOString(),
    })
  })

  it('binds the domain from a function of the request, never from the body', async () => {
    const { proxy, calls } = setup(undefined, {
      domain: (request) => `${new URL(request.url).hostname}.tenant`,
    })
    expect((await proxy(post('validate'))).status).toBe(200)
    expect(calls[0]?.body.domain).toBe('proxy.test.tenant')
  })

  it('answers 502 upstream_misconfigured when the domain function returns something unsignable', async () => {
    const { proxy, calls, logs } = setup(undefined, { domain: () => 'a&key=B' })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(502)
    expect(await errorCodeOf(response)).toBe('upstream_misconfigured')
    expect(calls).toHaveLength(0)
    expect(logs.join('\n')).toMatch(/domain/)
  })

  it('activates by validating first, then activating, and merges the counts', async () => {
    const { proxy, calls } = setup()
    const body = await bodyOf(await proxy(post('activate')))
    expect(calls.map((call) => call.action)).toEqual(['validate', 'activate'])
    expect(body.license).toEqual({
      key: MASKED,
      status: 'active',
      expiresAt: LICENSE.expiresAt,
      activationsCount: 2,
      activationsLimit: 3,
      entitlements: {},
    })
  })

  it('does not activate when the validation fails definitely', async () => {
    const { proxy, calls } = setup(() => json(403, { valid: false, message: 'License revoked' }))
    const response = await proxy(post('activate'))
    expect(response.status).toBe(403)
    expect(await errorCodeOf(response)).toBe('revoked')
    expect(calls.map((call) => call.action)).toEqual(['validate'])
  })

  it('deactivates and answers with no license', async () => {
    const { proxy, calls } = setup()
    const body = await bodyOf(await proxy(post('deactivate')))
    expect(body).toEqual({ ok: true, license: null, checkedAt: new Date(NOW).toISOString() })
    expect(calls.map((call) => call.action)).toEqual(['deactivate'])
  })

  it('accepts a license without expiry or counts', async () => {
    const { proxy } = setup(() =>
      json(200, { valid: true, license: { key: KEY, status: 'active', expiresAt: null } }),
    )
    const body = await bodyOf(await proxy(post('validate')))
    expect(body.license).toEqual({
      key: MASKED,
      status: 'active',
      expiresAt: null,
      entitlements: {},
    })
  })
})

describe('retries', () => {
  it('retries validate once after a network error', async () => {
    const { proxy, calls } = setup((call, index) => {
      if (index === 0) throw networkError()
      return healthy(call, index)
    })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(2)
  })

  it('retries validate at most once', async () => {
    const { proxy, calls } = setup(() => {
      throw networkError()
    })
    const response = await proxy(post('validate'))
    expect(response.status).toBe(503)
    expect(await errorCodeOf(response)).toBe('upstream_unavailable')
    expect(calls).toHaveLength(2)
  })

  it.each(['activate', 'deactivate'])('never retries %s', async (action) => {
    const { proxy, calls } = setup((call, index) => {
      if (call.action === action) throw networkError()
      return healthy(call, index)
    })
    const response = await proxy(post(action))
    expect(response.status).toBe(503)
    expect(calls.filter((call) => call.action === action)).toHaveLength(1)
  })

  it('does not retry validate after an HTTP answer', async () => {
    const { proxy, calls } = setup(() => new Response('oops', { status: 500 }))
    expect((await proxy(post('validate'))).status).toBe(503)
    expect(calls).toHaveLength(1)
  })
})

describe('signatures never reused across actions', () => {
  it('signs the activate one second after the validate before it', async () => {
    const { proxy, calls } = setup()
    expect((await proxy(post('activate'))).status).toBe(200)
    const [validate, activate] = calls as [UpstreamCall, UpstreamCall]
    expect(validate.body.timestamp).toBe(String(NOW / 1000))
    expect(activate.body.timestamp).toBe(String(NOW / 1000 + 1))
    expect(activate.signature).not.toBe(validate.signature)
  })

  it.each(['activate', 'deactivate'])(
    're-signs %s a second later once when the upstream says "Request replayed"',
    async (action) => {
      const { proxy, calls } = setup((call, index) =>
        call.action === action && calls.filter((c) => c.action === action).length === 1
          ? json(401, { [`${action}d`]: false, message: 'Request replayed' })
          : healthy(call, index),
      )
      expect((await proxy(post(action))).status).toBe(200)
      const attempts = calls.filter((call) => call.action === action)
      expect(attempts).toHaveLength(2)
      expect(Number(attempts[1]?.body.timestamp)).toBe(Number(attempts[0]?.body.timestamp) + 1)
    },
  )

  it('answers 502 when the replay refusal comes back a second time', async () => {
    const { proxy, calls } = setup((call, index) =>
      call.action === 'deactivate'
        ? json(401, { deactivated: false, message: 'Request replayed' })
        : healthy(call, index),
    )
    const response = await proxy(post('deactivate'))
    expect(response.status).toBe(502)
    expect(calls).toHaveLength(2)
  })

  it('does not retry validate on "Request replayed"', async () => {
    const { proxy, calls } = setup(() => json(401, { valid: false, message: 'Request replayed' }))
    expect((await proxy(post('validate'))).status).toBe(502)
    expect(calls).toHaveLength(1)
  })
})

describe('timeout', () => {
  /** A responder that never answers, and a promise for its first call. */
  function hanging(answer: () => Promise<Response> = () => new Promise<Response>(() => {})) {
    let reached: () => void = () => {}
    const called = new Promise<void>((resolve) => {
      reached = resolve
    })
    const respond: Responder = () => {
      reached()
      return answer()
    }
    return { respond, called }
  }

  it('answers 503 when the upstream hangs past the timeout, without retrying', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { respond, called } = hanging()
    const { proxy, calls, logs } = setup(respond, { timeoutMs: 2000 })
    let settled = false
    const pending = proxy(post('validate')).finally(() => {
      settled = true
    })
    await called
    await vi.advanceTimersByTimeAsync(1999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const response = await pending
    expect(response.status).toBe(503)
    expect(await errorCodeOf(response)).toBe('upstream_unavailable')
    expect(calls).toHaveLength(1)
    expect(logs.join('\n')).toMatch(/did not answer in time/)
  })

  it('aborts the upstream request at the deadline', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let signal: AbortSignal | undefined
    let reached: () => void = () => {}
    const called = new Promise<void>((resolve) => {
      reached = resolve
    })
    const proxy = createLicenseProxy(
      testOptions(
        (input, init) => {
          signal = new Request(input, init).signal
          reached()
          return new Promise<Response>(() => {})
        },
        { timeoutMs: 1000 },
      ),
    )
    const pending = proxy(post('activate'))
    await called
    await vi.advanceTimersByTimeAsync(1000)
    expect((await pending).status).toBe(503)
    expect(signal?.aborted).toBe(true)
  })

  it('covers a body that stalls after the headers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const { respond, called } = hanging(
      async () =>
        new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"valid":true,'))
            },
          }),
          { status: 200, headers: { 'content-type': 'application/json' } },
        ),
    )
    const { proxy } = setup(respond, { timeoutMs: 1000 })
    const pending = proxy(post('validate'))
    await called
    await vi.advanceTimersByTimeAsync(1000)
    const response = await pending
    expect(response.status).toBe(503)
    expect(await errorCodeOf(response)).toBe('upstream_unavailable')
  })
})

describe('error mapping', () => {
  it.each<[string, Responder, number, string]>([
    [
      'an HTML 502 page',
      () =>
        new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
      503,
      'upstream_unavailable',
    ],
    ['an empty 200 body', () => new Response('', { status: 200 }), 503, 'upstream_unavailable'],
    ['an empty 500 body', () => new Response(null, { status: 500 }), 503, 'upstream_unavailable'],
    ['HTML with status 200', () => new Response('<html></html>'), 503, 'upstream_unavailable'],
    [
      'JSON without the expected fields',
      () => json(200, { ok: true }),
      503,
      'upstream_unavailable',
    ],
    [
      'a success flag without a license',
      () => json(200, { valid: true }),
      503,
      'upstream_unavailable',
    ],
    [
      'a license with a wrong status type',
      () => json(200, { valid: true, license: { ...LICENSE, status: 7 } }),
      503,
      'upstream_unavailable',
    ],
    [
      'a license with an unparseable expiry',
      () => json(200, { valid: true, license: { ...LICENSE, expiresAt: 'soon' } }),
      503,
      'upstream_unavailable',
    ],
    [
      'negative counts',
      () => json(200, { valid: true, license: { ...LICENSE, activationsCount: -1 } }),
      503,
      'upstream_unavailable',
    ],
    ['a JSON array', () => json(200, [true]), 503, 'upstream_unavailable'],
    [
      'a connection reset',
      () => {
        throw networkError()
      },
      503,
      'upstream_unavailable',
    ],
    [
      '"Invalid signature" (secret mismatch)',
      () => json(401, { valid: false, message: 'Invalid signature' }),
      502,
      'upstream_misconfigured',
    ],
    [
      'a 401 for a stale timestamp',
      () => json(401, { valid: false, message: 'Request expired' }),
      502,
      'upstream_misconfigured',
    ],
    [
      'a 401 without a body',
      () => new Response('', { status: 401 }),
      502,
      'upstream_misconfigured',
    ],
    [
      '"License not found"',
      () => json(404, { valid: false, message: 'License not found' }),
      404,
      'not_found',
    ],
    [
      '"License expired"',
      () => json(403, { valid: false, message: 'License expired' }),
      403,
      'expired',
    ],
    [
      '"License suspended"',
      () => json(403, { valid: false, message: 'License suspended' }),
      403,
      'suspended',
    ],
    [
      '"License revoked"',
      () => json(403, { valid: false, message: 'License revoked' }),
      403,
      'revoked',
    ],
    [
      'a refusal with status 200',
      () => json(200, { valid: false, message: 'License revoked' }),
      403,
      'revoked',
    ],
    [
      'an unknown message',
      () => json(400, { valid: false, message: 'Something odd <script>' }),
      503,
      'upstream_unavailable',
    ],
    [
      'an HTML 404 page',
      () => new Response('<h1>Not Found</h1>', { status: 404 }),
      503,
      'upstream_unavailable',
    ],
  ])('maps %s', async (_label, respond, status, code) => {
    const { proxy } = setup(respond)
    const response = await proxy(post('validate'))
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as {
      ok: boolean
      error: { code: string; message: string }
    }
    expect(body.ok).toBe(false)
    expect(body.error.code).toBe(code)
    expect(body.error.message).not.toMatch(/<|script|odd/)
  })

  it('maps "Activation limit reached" to limit_reached (409)', async () => {
    const { proxy } = setup((call, index) =>
      call.action === 'activate'
        ? json(409, { activated: false, message: 'Activation limit reached' })
        : healthy(call, index),
    )
    const response = await proxy(post('activate'))
    expect(response.status).toBe(409)
    expect(await errorCodeOf(response)).toBe('limit_reached')
  })

  it('maps "Activation not found" to not_activated (409)', async () => {
    const { proxy } = setup(() =>
      json(404, { deactivated: false, message: 'Activation not found' }),
    )
    const response = await proxy(post('deactivate'))
    expect(response.status).toBe(409)
    expect(await errorCodeOf(response)).toBe('not_activated')
  })

  it('passes a 429 on as 503 with the upstream Retry-After', async () => {
    const { proxy } = setup(() =>
      json(429, { message: 'Too many requests' }, { 'retry-after': '30' }),
    )
    const response = await proxy(post('validate'))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('30')
    expect(await errorCodeOf(response)).toBe('upstream_unavailable')
  })

  it('converts an HTTP-date Retry-After to seconds', async () => {
    const { proxy } = setup(() =>
      json(503, {}, { 'retry-after': new Date(NOW + 120_000).toUTCString() }),
    )
    const response = await proxy(post('validate'))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('120')
  })

  it('ignores an unparseable Retry-After', async () => {
    const { proxy } = setup(() => json(429, {}, { 'retry-after': 'later' }))
    const response = await proxy(post('validate'))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBeNull()
  })

  it('logs upstream trouble for the operator, without the upstream text', async () => {
    const { proxy, logs } = setup(() => json(401, { message: 'Invalid signature' }))
    await proxy(post('validate'))
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatch(/401.*secret/)
  })
})

describe('log lines', () => {
  const answers: [string, Responder][] = [
    ['an Invalid signature answer', () => json(401, { message: 'Invalid signature' })],
    ['an Invalid signature answer with 403', () => json(403, { message: 'Invalid signature' })],
    ['a 500', () => json(500, {})],
    ['a network error', () => Promise.reject(networkError())],
    ['a wrong shape', () => json(200, { valid: true })],
  ]

  it.each(answers)(
    'name the action, the upstream URL and nothing secret, for %s',
    async (_label, respond) => {
      const { proxy, calls, logs } = setup(respond)
      await proxy(post('validate'))
      expect(logs.length).toBeGreaterThan(0)
      for (const line of logs) {
        expect(line).toMatch(
          /^licensekit proxy: validate: POST https:\/\/license\.test\/api\/licenses\/validate: /,
        )
        expect(line).not.toContain(SECRET)
        expect(line).not.toContain(KEY)
        expect(line).not.toContain(MASKED)
        for (const call of calls) expect(line).not.toContain(call.signature ?? 'no signature')
      }
    },
  )

  it('say "activate" during an activate that fails at its first step, the validate', async () => {
    const { proxy, logs } = setup(() => json(401, { message: 'Invalid signature' }))
    const response = await proxy(post('activate'))
    expect(await errorCodeOf(response)).toBe('upstream_misconfigured')
    expect(logs).toEqual([
      'licensekit proxy: activate: POST https://license.test/api/licenses/validate: the upstream refused the request (HTTP 401): check the secret and the server clock',
    ])
  })

  it('name the activate URL when the activation itself fails', async () => {
    const { proxy, logs } = setup((call) =>
      call.action === 'activate' ? json(502, {}) : healthy(call, 0),
    )
    await proxy(post('activate'))
    expect(logs).toEqual([
      'licensekit proxy: activate: POST https://license.test/api/licenses/activate: the upstream answered HTTP 502 that the proxy cannot use',
    ])
  })

  it('name deactivate and its URL', async () => {
    const { proxy, logs } = setup(() => json(503, {}))
    await proxy(post('deactivate'))
    expect(logs).toEqual([
      'licensekit proxy: deactivate: POST https://license.test/api/licenses/deactivate: the upstream answered HTTP 503 that the proxy cannot use',
    ])
  })

  it('are not written for answers about the license itself', async () => {
    const { proxy, logs } = setup(() => json(403, { message: 'License revoked' }))
    expect(await errorCodeOf(await proxy(post('activate')))).toBe('revoked')
    expect(logs).toEqual([])
  })
})
