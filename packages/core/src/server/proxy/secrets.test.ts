import { describe, expect, it } from 'vitest'
import { generateSigningKeys } from '../../tokens/keys.js'
import { createLicenseProxy } from './create-license-proxy.js'
import {
  fakeUpstream,
  healthy,
  json,
  KEY,
  NOW,
  ORIGIN,
  post,
  SECRET,
  testOptions,
} from './test-support/fake-upstream.js'

type Responder = NonNullable<Parameters<typeof fakeUpstream>[0]>

const keys = await generateSigningKeys()

/** Upstream answers that try to get the secret or signature echoed back. */
const echoing: Responder[] = [
  healthy,
  (call) => json(401, { message: `Invalid signature ${call.signature} for ${SECRET}` }),
  (call) => json(401, { message: 'Invalid signature', expected: call.signature }),
  (call) => json(400, { message: `bad request ${call.rawBody} sig=${call.signature}` }),
  (call) => new Response(`<pre>${call.signature} ${SECRET}</pre>`, { status: 502 }),
  (call) => json(429, { message: String(call.signature) }, { 'retry-after': '5' }),
  (call) => json(200, { valid: true, license: { status: call.signature, expiresAt: SECRET } }),
  (call) => json(403, { message: `License revoked ${call.signature}` }),
  () => Promise.reject(new TypeError(`fetch failed ${SECRET}`)),
]

const requests = (): Request[] => [
  post('validate'),
  post('activate'),
  post('deactivate'),
  post('validate', { key: KEY, domain: 'x' }),
  post('validate', { key: SECRET }),
  post('nope'),
  post('validate', undefined, { headers: { origin: 'https://evil.example' } }),
  new Request(`${ORIGIN}/api/license/validate`, { method: 'GET' }),
  new Request(`${ORIGIN}/api/license/validate`, {
    method: 'OPTIONS',
    headers: { origin: ORIGIN },
  }),
]

describe('secrets stay secret', () => {
  it('never returns, logs or echoes the secret or an upstream signature', async () => {
    const haystack: string[] = []
    const signatures = new Set<string>()
    let clock = NOW
    for (const respond of echoing) {
      for (const installation of [false, true]) {
        const upstream = fakeUpstream(async (call, index) => {
          if (call.signature) signatures.add(call.signature)
          return respond(call, index)
        })
        const proxy = createLicenseProxy(
          testOptions(upstream.fetch, {
            log: (line) => haystack.push(line),
            now: () => (clock += 1000),
            signingKeys: [keys.privateJwk],
            ...(installation
              ? {
                  resolveKey: async () => KEY,
                  onActivate: () => {
                    throw new Error('store failed')
                  },
                }
              : {}),
          }),
        )
        for (const request of requests()) {
          const response = await proxy(request)
          haystack.push(String(response.status), await response.text())
          for (const [name, value] of response.headers) haystack.push(`${name}: ${value}`)
        }
      }
    }
    expect(signatures.size).toBeGreaterThan(5)
    const everything = haystack.join('\n')
    expect(everything).not.toContain(SECRET)
    for (const signature of signatures) expect(everything).not.toContain(signature)
    expect(everything).not.toMatch(/[0-9a-f]{64}/)
  })
})
