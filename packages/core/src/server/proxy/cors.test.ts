import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import {
  errorCodeOf,
  fakeUpstream,
  ORIGIN,
  post,
  testOptions,
} from './test-support/fake-upstream.js'

const APP = 'https://app.example'

function setup(allowedOrigins: string[] = [APP]) {
  const upstream = fakeUpstream()
  const proxy = createLicenseProxy(testOptions(upstream.fetch, { allowedOrigins }))
  return { proxy, calls: upstream.calls }
}

function preflight(origin: string | null): Request {
  const headers: Record<string, string> = {
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
  }
  if (origin !== null) headers.origin = origin
  return new Request(`${ORIGIN}/api/license/validate`, { method: 'OPTIONS', headers })
}

describe('CORS', () => {
  it('serves a request without Origin (server-to-server) with Vary: Origin and no CORS grant', async () => {
    const { proxy } = setup()
    const response = await proxy(post('validate'))
    expect(response.status).toBe(200)
    expect(response.headers.get('vary')).toBe('Origin')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows a same-origin request without configuration', async () => {
    const { proxy, calls } = setup([])
    const response = await proxy(post('validate', undefined, { headers: { origin: ORIGIN } }))
    expect(response.status).toBe(200)
    expect(response.headers.get('vary')).toBe('Origin')
    expect(calls).toHaveLength(1)
  })

  it('echoes an allowlisted origin exactly', async () => {
    const { proxy } = setup()
    const response = await proxy(post('validate', undefined, { headers: { origin: APP } }))
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(APP)
    expect(response.headers.get('vary')).toBe('Origin')
  })

  it.each([
    ['another site', 'https://evil.example'],
    ['the literal null origin', 'null'],
    ['a different scheme', 'http://app.example'],
    ['a different port', 'https://app.example:8443'],
    ['a subdomain', 'https://x.app.example'],
    ['a suffix attack', 'https://app.example.evil.example'],
    ['a trailing slash', 'https://app.example/'],
    ['a wildcard', '*'],
  ])('refuses %s with 403 forbidden_origin before any upstream call', async (_label, origin) => {
    const { proxy, calls } = setup()
    const response = await proxy(post('validate', undefined, { headers: { origin } }))
    expect(response.status).toBe(403)
    expect(await errorCodeOf(response.clone())).toBe('forbidden_origin')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('vary')).toBe('Origin')
    expect(calls).toHaveLength(0)
  })

  it('answers an allowlisted preflight with POST and Content-Type only', async () => {
    const { proxy, calls } = setup()
    const response = await proxy(preflight(APP))
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(APP)
    expect(response.headers.get('access-control-allow-methods')).toBe('POST')
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type')
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
    expect(response.headers.get('vary')).toBe('Origin')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(calls).toHaveLength(0)
  })

  it('answers a same-origin preflight', async () => {
    const { proxy } = setup([])
    const response = await proxy(preflight(ORIGIN))
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
  })

  it.each(['https://evil.example', 'null'])(
    'refuses a preflight from %s with 403',
    async (origin) => {
      const { proxy } = setup()
      const response = await proxy(preflight(origin))
      expect(response.status).toBe(403)
      expect(await errorCodeOf(response.clone())).toBe('forbidden_origin')
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
      expect(response.headers.get('access-control-allow-methods')).toBeNull()
    },
  )

  it('answers OPTIONS without Origin with Allow and no CORS grant', async () => {
    const { proxy } = setup()
    const response = await proxy(preflight(null))
    expect(response.status).toBe(204)
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it.each([
    ['*'],
    ['null'],
    ['https://app.example/'],
    ['app.example'],
    ['https://app.example/path'],
  ])('refuses %s in allowedOrigins at construction', (origin) => {
    expect(() => setup([origin])).toThrow(expect.objectContaining({ code: 'invalid_config' }))
  })

  it('never answers with a wildcard, whatever the request', async () => {
    const { proxy } = setup()
    const origins = [APP, ORIGIN, 'https://evil.example', 'null', '*', '']
    for (const origin of origins) {
      for (const request of [
        post('validate', undefined, { headers: { origin } }),
        preflight(origin),
        post('nope', undefined, { headers: { origin } }),
      ]) {
        const response = await proxy(request)
        expect(response.headers.get('access-control-allow-origin')).not.toBe('*')
        expect(response.headers.get('vary')).toBe('Origin')
      }
    }
  })
})
