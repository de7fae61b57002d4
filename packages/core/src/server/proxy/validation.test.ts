import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import {
  errorCodeOf,
  fakeUpstream,
  KEY,
  ORIGIN,
  post,
  testOptions,
} from './test-support/fake-upstream.js'

function setup(overrides: Parameters<typeof testOptions>[1] = {}) {
  const upstream = fakeUpstream()
  const proxy = createLicenseProxy(testOptions(upstream.fetch, overrides))
  return { proxy, calls: upstream.calls }
}

async function expectRejected(
  request: Request,
  status: number,
  code: string,
  overrides: Parameters<typeof testOptions>[1] = {},
): Promise<Response> {
  const { proxy, calls } = setup(overrides)
  const response = await proxy(request)
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(await errorCodeOf(response.clone())).toBe(code)
  expect(calls).toHaveLength(0)
  return response
}

function raw(body: string, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/api/license/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
}

describe('request validation, before any upstream call', () => {
  it('accepts a well-formed request and forwards it', async () => {
    const { proxy, calls } = setup()
    const response = await proxy(post('validate'))
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it.each([
    ['an unknown action', post('refresh')],
    ['a path outside basePath', post('validate', { key: KEY }, { path: '/other/validate' })],
    ['the base path itself', post('', { key: KEY }, { path: '/api/license' })],
    ['a nested path', post('', { key: KEY }, { path: '/api/license/validate/x' })],
  ])('answers 404 bad_request for %s', async (_label, request) => {
    const response = await expectRejected(request, 404, 'bad_request')
    expect((await response.json()).ok).toBe(false)
  })

  it.each(['GET', 'PUT', 'DELETE', 'PATCH'])('refuses %s with 405 and Allow', async (method) => {
    const request = new Request(`${ORIGIN}/api/license/validate`, {
      method,
      ...(method === 'GET' ? {} : { body: JSON.stringify({ key: KEY }) }),
    })
    const response = await expectRejected(request, 405, 'method_not_allowed')
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
  })

  it('refuses a foreign origin before looking at the body', async () => {
    await expectRejected(
      raw('not json', { origin: 'https://evil.example', 'content-type': 'text/plain' }),
      403,
      'forbidden_origin',
    )
  })

  it.each([
    ['text/plain', 'text/plain'],
    ['form data', 'application/x-www-form-urlencoded'],
    ['a JSON look-alike', 'application/json-patch+json'],
    ['another charset', 'application/json; charset=latin1'],
  ])('refuses %s with 415', async (_label, type) => {
    await expectRejected(
      raw(JSON.stringify({ key: KEY }), { 'content-type': type }),
      415,
      'unsupported_media_type',
    )
  })

  it('refuses a missing content type with 415', async () => {
    const request = new Request(`${ORIGIN}/api/license/validate`, {
      method: 'POST',
      body: new Blob([JSON.stringify({ key: KEY })]),
    })
    await expectRejected(request, 415, 'unsupported_media_type')
  })

  it.each([
    'application/json; charset=utf-8',
    'Application/JSON;charset="UTF-8"',
    'application/json ; foo=bar',
  ])('accepts content type %s', async (type) => {
    const { proxy, calls } = setup()
    const response = await proxy(raw(JSON.stringify({ key: KEY }), { 'content-type': type }))
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it('refuses a declared Content-Length over 1 KiB with 413 before reading', async () => {
    await expectRejected(raw('{}', { 'content-length': '1025' }), 413, 'payload_too_large')
  })

  it('refuses a streamed body over 1 KiB with 413', async () => {
    const padding = ' '.repeat(1100)
    await expectRejected(raw(`{"key":"${KEY}"}${padding}`), 413, 'payload_too_large')
  })

  it('refuses an endless streamed body with 413 without reading it all', async () => {
    let pulls = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++
        controller.enqueue(new Uint8Array(256).fill(32))
      },
    })
    const request = new Request(`${ORIGIN}/api/license/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    await expectRejected(request, 413, 'payload_too_large')
    expect(pulls).toBeLessThan(10)
  })

  it('accepts a body of exactly 1 KiB', async () => {
    const body = `{"key":"${KEY}"}`
    const { proxy, calls } = setup()
    const response = await proxy(raw(body.padEnd(1024, ' ')))
    expect(response.status).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it.each<[string, string]>([
    ['an empty body', ''],
    ['malformed JSON', '{"key":'],
    ['a trailing comma', `{"key":"${KEY}",}`],
    ['trailing garbage', `{"key":"${KEY}"} x`],
    ['two objects', `{"key":"${KEY}"}{}`],
    ['an array', `["${KEY}"]`],
    ['a string', `"${KEY}"`],
    ['null', 'null'],
    ['an empty object', '{}'],
    ['a domain field', `{"key":"${KEY}","domain":"evil.example"}`],
    ['a timestamp field', `{"key":"${KEY}","timestamp":"1"}`],
    ['a __proto__ field', `{"key":"${KEY}","__proto__":{"domain":"x"}}`],
    ['a __proto__ string field', `{"key":"${KEY}","__proto__":"x"}`],
    ['a constructor field', `{"key":"${KEY}","constructor":"x"}`],
    ['any other field', `{"key":"${KEY}","fingerprint":"abc"}`],
    ['a numeric key', '{"key":1234}'],
    ['a null key', '{"key":null}'],
    ['a nested key', `{"key":{"value":"${KEY}"}}`],
    ['an array key', `{"key":["${KEY}"]}`],
    ['a duplicate key', `{"key":"${KEY}","key":"SHOP-0000-0000-0000-0000"}`],
    ['a duplicate key spelled with an escape', `{"key":"${KEY}","\\u006bey":"${KEY}"}`],
    ['a key with CR/LF', `{"key":"${KEY}\\r\\n"}`],
    ['a key with a line feed inside', `{"key":"SHOP-A1B2\\nC3D4-E5F6-G7H8"}`],
    ['a single-quoted object', `{'key':'${KEY}'}`],
    ['an unterminated string', '{"key":"SHOP'],
    ['a byte-order mark', `\ufeff{"key":"${KEY}"}`],
    ['a JSON comment', `{"key":"${KEY}" /* x */}`],
  ])('refuses %s with 400 bad_request', async (_label, body) => {
    await expectRejected(raw(body), 400, 'bad_request')
  })

  it('refuses a body that is not UTF-8 with 400 bad_request', async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0x6b, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])
    const request = new Request(`${ORIGIN}/api/license/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    })
    await expectRejected(request, 400, 'bad_request')
  })

  it.each([
    ['too few groups', 'SHOP-A1B2-C3D4-E5F6'],
    ['five groups', 'SHOP-A1B2-C3D4-E5F6-G7H8-I9J0'],
    ['symbols', 'SHOP-A1B2-C3D4-E5F6-G7H!'],
    ['an ampersand', 'SHOP&A1B2-C3D4-E5F6-G7H8'],
    ['an empty string', ''],
    ['non-ASCII', 'SHÖP-A1B2-C3D4-E5F6-G7H8'],
  ])('refuses a key with %s with 400 invalid_key_format', async (_label, key) => {
    await expectRejected(post('validate', { key }), 400, 'invalid_key_format')
  })

  it('normalises a key before forwarding it', async () => {
    const { proxy, calls } = setup()
    const response = await proxy(post('validate', { key: ' shop a1b2c3d4e5f6g7h8 ' }))
    expect(response.status).toBe(200)
    expect(calls[0]?.body.key).toBe(KEY)
  })

  it.each(['activate', 'deactivate'])(
    'answers 403 forbidden when authorize refuses %s, before any upstream call',
    async (action) => {
      const seen: string[] = []
      await expectRejected(post(action), 403, 'forbidden', {
        authorize: (_request, requested) => {
          seen.push(requested)
          return false
        },
      })
      expect(seen).toEqual([action])
    },
  )

  it('treats a non-boolean authorize answer as a refusal', async () => {
    await expectRejected(post('activate'), 403, 'forbidden', {
      authorize: () => 'yes' as unknown as boolean,
    })
  })

  it('does not consult authorize for validate', async () => {
    const { proxy, calls } = setup({ authorize: () => false })
    expect((await proxy(post('validate'))).status).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it('checks authorize only after the body (a malformed body is bad_request, not forbidden)', async () => {
    let asked = 0
    await expectRejected(post('activate', { key: KEY, domain: 'x' }), 400, 'bad_request', {
      authorize: () => {
        asked++
        return true
      },
    })
    expect(asked).toBe(0)
  })

  it('answers 503 when authorize throws, without an upstream call', async () => {
    await expectRejected(post('activate'), 503, 'upstream_unavailable', {
      authorize: () => {
        throw new Error('session store down')
      },
    })
  })

  it('serves a custom basePath', async () => {
    const { proxy, calls } = setup({ basePath: '/licensing/' })
    expect(proxy.basePath).toBe('/licensing')
    expect((await proxy(post('', { key: KEY }, { path: '/licensing/validate' }))).status).toBe(200)
    expect((await proxy(post('validate'))).status).toBe(404)
    expect(calls).toHaveLength(1)
  })

  it('answers 500 body_consumed to a body another middleware already read, naming the fix', async () => {
    const lines: string[] = []
    const request = raw(JSON.stringify({ key: KEY }))
    await request.json()
    const response = await expectRejected(request, 500, 'body_consumed', {
      log: (line) => lines.push(line),
    })
    expect(((await response.json()) as { ok: boolean }).ok).toBe(false)
    expect(lines).toEqual([expect.stringContaining('mount the proxy before body parsers')])
  })

  it('answers 500 body_consumed when the adapter says the stream was read', async () => {
    const { proxy, calls } = setup()
    const response = await proxy(raw(''), { bodyConsumed: true })
    expect(response.status).toBe(500)
    expect(await errorCodeOf(response)).toBe('body_consumed')
    expect(calls).toHaveLength(0)
  })

  it('still checks the origin before reporting a consumed body', async () => {
    const request = raw(JSON.stringify({ key: KEY }), { origin: 'https://evil.example' })
    await request.text()
    await expectRejected(request, 403, 'forbidden_origin')
  })
})
