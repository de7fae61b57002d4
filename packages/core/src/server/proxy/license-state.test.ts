import { describe, expect, it } from 'vitest'
import { isLicenseError } from '../../errors/license-error.js'
import { createLicenseProxy } from './create-license-proxy.js'
import { getLicenseState } from './license-state.js'
import {
  fakeUpstream,
  healthy,
  json,
  KEY,
  LICENSE,
  MASKED,
  NOW,
  testOptions,
} from './test-support/fake-upstream.js'

type Responder = NonNullable<Parameters<typeof fakeUpstream>[0]>

const PAGE = new Request('http://localhost:3000/settings', {
  headers: { host: 'shop.example.com' },
})

function installation(stored: string | null, respond: Responder = healthy) {
  const upstream = fakeUpstream(respond)
  const seen: Request[] = []
  const logs: string[] = []
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, {
      log: (line) => logs.push(line),
      resolveKey: async (request) => {
        seen.push(request)
        return stored
      },
      domain: (request) => request.headers.get('host') ?? 'none',
    }),
  )
  return { proxy, calls: upstream.calls, seen, logs }
}

describe('getLicenseState', () => {
  it('is active with the masked license for a stored key, from one upstream call and no request to itself', async () => {
    const { proxy, calls, seen } = installation(KEY)
    const state = await getLicenseState(proxy, PAGE)
    expect(state).toEqual({
      status: 'active',
      reason: null,
      license: {
        key: MASKED,
        status: 'active',
        expiresAt: LICENSE.expiresAt,
        activationsCount: 1,
        activationsLimit: 3,
        entitlements: {},
      },
      source: 'server',
      checkedAt: new Date(NOW).toISOString(),
      graceEndsAt: null,
      pendingDeactivations: 0,
      isChecking: false,
    })
    expect(seen).toEqual([PAGE])
    expect(calls.map((call) => call.url)).toEqual(['https://license.test/api/licenses/validate'])
    expect(calls[0]?.body.domain).toBe('shop.example.com')
  })

  it('is unlicensed, without an upstream call, when no key is stored', async () => {
    const { proxy, calls } = installation(null)
    const state = await getLicenseState(proxy, PAGE)
    expect(state.status).toBe('unlicensed')
    expect(state.license).toBeNull()
    expect(state.checkedAt).toBe(new Date(NOW).toISOString())
    expect(calls).toHaveLength(0)
  })

  it('is denied with the code of a definite refusal', async () => {
    const { proxy } = installation(KEY, () => json(403, { message: 'License expired' }))
    const state = await getLicenseState(proxy, PAGE)
    expect(state).toMatchObject({ status: 'denied', reason: 'expired', license: null })
    expect(state.source).toBe('server')
  })

  it.each([
    ['a 5xx', () => json(503, { message: 'down' })],
    ['a network failure', () => Promise.reject(new TypeError('fetch failed'))],
    ['a secret mismatch', () => json(401, { message: 'Invalid signature' })],
  ] satisfies [string, Responder][])(
    'stays loading after %s, so the browser checks for itself',
    async (_label, respond) => {
      const { proxy } = installation(KEY, respond)
      const state = await getLicenseState(proxy, PAGE)
      expect(state).toMatchObject({
        status: 'loading',
        reason: null,
        license: null,
        source: 'none',
      })
    },
  )

  it('stays loading and logs when resolveKey throws', async () => {
    const upstream = fakeUpstream()
    const logs: string[] = []
    const proxy = createLicenseProxy(
      testOptions(upstream.fetch, {
        log: (line) => logs.push(line),
        resolveKey: async () => Promise.reject(new Error('database down')),
      }),
    )
    expect((await getLicenseState(proxy, PAGE)).status).toBe('loading')
    expect(logs.join('\n')).toContain('resolveKey threw')
  })

  it('refuses a device-mode proxy and anything else with invalid_config', async () => {
    const deviceMode = createLicenseProxy(testOptions(fakeUpstream().fetch))
    for (const candidate of [deviceMode, async () => new Response(null), {}]) {
      const error = await getLicenseState(candidate, PAGE).catch((caught: unknown) => caught)
      expect(isLicenseError(error) && error.code).toBe('invalid_config')
    }
  })
})
