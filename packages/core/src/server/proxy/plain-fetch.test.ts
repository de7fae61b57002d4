import { describe, expect, it } from 'vitest'
import { plainRequestOf, responseOf, toFetchHandler } from './plain-fetch.js'
import type { PlainRequest } from './plain-http.js'
import { readPlainText } from './read-body.js'
import { rejectionCodeOf } from './test-support/rejection-code.js'

describe('plainRequestOf', () => {
  it('reads method, URL, headers and the runtime context from the Request', () => {
    const request = new Request('https://shop.example/api/license/validate?x=1', {
      method: 'post',
      headers: { 'X-Custom': 'a', Origin: 'https://shop.example' },
      body: '{}',
    })
    const plain = plainRequestOf(request, { clientAddress: '192.0.2.7' })
    expect(plain.method).toBe('POST')
    expect(plain.url.pathname).toBe('/api/license/validate')
    expect(plain.url.search).toBe('?x=1')
    expect(plain.header('x-custom')).toBe('a')
    expect(plain.header('origin')).toBe('https://shop.example')
    expect(plain.header('missing')).toBeNull()
    expect(plain.clientAddress).toBe('192.0.2.7')
    expect(plain.toRequest()).toBe(request)
  })

  it('reads the body within the limit, and refuses one over it with payload_too_large', async () => {
    const body = () => new Request('https://a.example/', { method: 'POST', body: 'x'.repeat(10) })
    expect(new TextDecoder().decode(await plainRequestOf(body()).bytes(10))).toBe('x'.repeat(10))
    expect(await rejectionCodeOf(plainRequestOf(body()).bytes(9))).toBe('payload_too_large')
    const declared = new Request('https://a.example/', {
      method: 'POST',
      headers: { 'content-length': '5000' },
      body: '{}',
    })
    expect(await rejectionCodeOf(plainRequestOf(declared).bytes(1024))).toBe('payload_too_large')
  })

  it('reports a body read before, or one the runtime says was consumed', async () => {
    const request = new Request('https://a.example/', { method: 'POST', body: '{}' })
    expect(plainRequestOf(request).bodyConsumed).toBe(false)
    expect(plainRequestOf(request, { bodyConsumed: true }).bodyConsumed).toBe(true)
    await request.text()
    expect(plainRequestOf(request).bodyConsumed).toBe(true)
  })
})

describe('responseOf', () => {
  it('carries status, headers and body into a Response', async () => {
    const response = responseOf({
      status: 418,
      headers: { 'content-type': 'text/plain', vary: 'Origin' },
      body: 'teapot',
    })
    expect(response.status).toBe(418)
    expect(response.headers.get('vary')).toBe('Origin')
    expect(await response.text()).toBe('teapot')
    expect(responseOf({ status: 204, headers: {}, body: null }).body).toBeNull()
  })
})

describe('toFetchHandler', () => {
  it('runs the plain handler on the Request and keeps it as `plain`', async () => {
    const seen: PlainRequest[] = []
    const plain = async (request: PlainRequest) => {
      seen.push(request)
      const text = new TextDecoder().decode(await request.bytes(100))
      return {
        status: 200,
        headers: { 'content-type': 'text/plain' },
        body: `${request.method} ${text}`,
      }
    }
    const handler = toFetchHandler(plain, { basePath: '/api', allow: 'POST' })
    expect(handler.plain).toBe(plain)
    expect(handler.basePath).toBe('/api')
    expect(handler.allow).toBe('POST')
    const response = await handler(
      new Request('https://a.example/api/x', { method: 'POST', body: 'hello' }),
      { clientAddress: '198.51.100.1' },
    )
    expect(await response.text()).toBe('POST hello')
    expect(seen[0]?.clientAddress).toBe('198.51.100.1')
  })
})

describe('readPlainText', () => {
  it('decodes strict UTF-8 within the limit, refusing invalid bytes and oversize bodies', async () => {
    const plain = (body: BodyInit) =>
      plainRequestOf(new Request('https://a.example/', { method: 'POST', body }))
    expect(await readPlainText(plain('{"key":"é"}'))).toBe('{"key":"é"}')
    expect(await rejectionCodeOf(readPlainText(plain(new Uint8Array([0x7b, 0xff, 0x7d]))))).toBe(
      'bad_request',
    )
    expect(await rejectionCodeOf(readPlainText(plain('x'.repeat(2000))))).toBe('payload_too_large')
    expect(await readPlainText(plain('x'.repeat(2000)), 4096)).toHaveLength(2000)
  })
})
