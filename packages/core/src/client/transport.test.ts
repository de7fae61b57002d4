import { describe, expect, it, vi } from 'vitest'
import { fakeTimeoutSignals } from '../test-support/fake-timeout-signal.js'
import { LICENSE } from './test-support/fake-proxy.js'
import { createProxyTransport, parseRetryAfter } from './transport.js'

const ENDPOINT = 'http://127.0.0.1:9/api/license'

function transportReplying(reply: () => Response | Promise<Response>, timeoutMs = 10_000) {
  const requests: { request: Request; body: unknown }[] = []
  const send = createProxyTransport({
    endpoint: ENDPOINT,
    timeoutMs,
    fetch: async (input) => {
      const request = input as Request
      requests.push({ request, body: await request.json() })
      return reply()
    },
  })
  return { send, requests }
}

const body = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
const checkedAt = '2026-01-01T00:00:00.000Z'

describe('proxy transport', () => {
  it('posts JSON to endpoint/action once, same-origin credentials', async () => {
    const { send, requests } = transportReplying(() =>
      body({ ok: true, license: LICENSE, checkedAt, token: 'a.b' }),
    )
    const outcome = await send('activate', { key: 'SHOP-A1B2-C3D4-E5F6-G7H8' })
    expect(outcome).toEqual({
      kind: 'success',
      answer: { ok: true, license: LICENSE, checkedAt, token: 'a.b' },
    })
    expect(requests).toHaveLength(1)
    const request = requests[0]?.request
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe(`${ENDPOINT}/activate`)
    expect(request?.credentials).toBe('same-origin')
    expect(request?.headers.get('content-type')).toMatch(/^application\/json/)
    expect(requests[0]?.body).toEqual({ key: 'SHOP-A1B2-C3D4-E5F6-G7H8' })
  })

  it('sends {} when there is no key', async () => {
    const { send, requests } = transportReplying(() => body({ ok: true, license: null, checkedAt }))
    expect(await send('validate', {})).toMatchObject({ kind: 'success', answer: { license: null } })
    expect(requests[0]?.body).toEqual({})
  })

  it.each([
    [404, 'not_found'],
    [409, 'limit_reached'],
    [403, 'revoked'],
    [403, 'forbidden_origin'],
    [400, 'bad_request'],
    [500, 'bad_request'],
  ])('a %i {ok: false, code: %s} is a definite failure, never retried', async (status, code) => {
    const { send, requests } = transportReplying(() =>
      body({ ok: false, error: { code, message: 'no' } }, status),
    )
    const outcome = await send('validate', {})
    expect(outcome).toMatchObject({ kind: 'failure', error: { name: 'LicenseError', code } })
    expect(requests).toHaveLength(1)
  })

  it.each([
    [429, 'rate_limited'],
    [502, 'upstream_misconfigured'],
    [503, 'upstream_unavailable'],
    [504, 'upstream_unavailable'],
  ])('a %i is unreachable, keeping the code %s and Retry-After', async (status, code) => {
    const { send, requests } = transportReplying(() =>
      body({ ok: false, error: { code, message: 'later' } }, status, { 'retry-after': '42' }),
    )
    expect(await send('validate', {})).toMatchObject({
      kind: 'unreachable',
      error: { code, retryAfter: 42 },
    })
    expect(requests).toHaveLength(1)
  })

  it.each<[string, () => Response]>([
    ['HTML', () => new Response('<html>', { status: 200 })],
    [
      'an unknown error code',
      () => body({ ok: false, error: { code: 'nope', message: 'x' } }, 403),
    ],
    ['ok true without checkedAt', () => body({ ok: true, license: null })],
    ['an unparseable checkedAt', () => body({ ok: true, license: null, checkedAt: 'soon' })],
    [
      'a license without key',
      () => body({ ok: true, license: { status: 'active', expiresAt: null }, checkedAt }),
    ],
    [
      'a license with extra fields',
      () => body({ ok: true, license: { ...LICENSE, admin: true }, checkedAt }),
    ],
    [
      'a negative count',
      () => body({ ok: true, license: { ...LICENSE, activationsCount: -1 }, checkedAt }),
    ],
    ['a numeric token', () => body({ ok: true, license: LICENSE, checkedAt, token: 1 })],
    ['a success with status 201', () => body({ ok: true, license: LICENSE, checkedAt }, 201)],
    [
      'a failure with status 200',
      () => body({ ok: false, error: { code: 'revoked', message: 'x' } }),
    ],
    ['a JSON null', () => body(null)],
  ])('%s is unreachable (invalid_response), never a grant', async (_label, reply) => {
    const { send } = transportReplying(reply)
    expect(await send('validate', {})).toMatchObject({
      kind: 'unreachable',
      error: { code: 'invalid_response' },
    })
  })

  it('a network error is unreachable with its cause', async () => {
    const cause = new TypeError('Failed to fetch')
    const { send } = transportReplying(() => Promise.reject(cause))
    expect(await send('validate', {})).toMatchObject({
      kind: 'unreachable',
      error: { code: 'unreachable', cause },
    })
  })

  it('a request that takes longer than the timeout is unreachable, and its fetch is aborted', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const delays = fakeTimeoutSignals()
    try {
      const { send, requests } = transportReplying(() => new Promise<Response>(() => {}), 2_000)
      const outcome = send('validate', {})
      await vi.advanceTimersByTimeAsync(1_999)
      expect(requests[0]?.request.signal.aborted).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      expect(await outcome).toMatchObject({ kind: 'unreachable', error: { code: 'unreachable' } })
      expect(requests[0]?.request.signal.aborted).toBe(true)
      expect(delays).toEqual([2_000])
    } finally {
      vi.restoreAllMocks()
      vi.useRealTimers()
    }
  })

  it('a body that stalls past the timeout is unreachable', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    fakeTimeoutSignals()
    try {
      const stalled = new ReadableStream<Uint8Array>({ start() {} })
      const { send } = transportReplying(() => new Response(stalled, { status: 200 }), 2_000)
      const outcome = send('validate', {})
      await vi.advanceTimersByTimeAsync(2_000)
      expect(await outcome).toMatchObject({
        kind: 'unreachable',
        error: { code: 'invalid_response' },
      })
    } finally {
      vi.restoreAllMocks()
      vi.useRealTimers()
    }
  })

  it('uses the global fetch when none is given', async () => {
    const calls: string[] = []
    vi.stubGlobal('fetch', async (input: Request) => {
      calls.push(input.url)
      return body({ ok: true, license: null, checkedAt })
    })
    try {
      const send = createProxyTransport({ endpoint: ENDPOINT, timeoutMs: 1_000 })
      expect(await send('validate', {})).toMatchObject({ kind: 'success' })
      expect(calls).toEqual([`${ENDPOINT}/validate`])
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('parseRetryAfter', () => {
  it('reads whole seconds and ignores everything else', () => {
    expect(parseRetryAfter('120')).toBe(120)
    expect(parseRetryAfter(' 5 ')).toBe(5)
    expect(parseRetryAfter(null)).toBeUndefined()
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined()
    expect(parseRetryAfter('-1')).toBeUndefined()
    expect(parseRetryAfter('1.5')).toBeUndefined()
  })
})
