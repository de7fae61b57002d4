import { describe, expect, it } from 'vitest'
import { createLicenseProxy } from './create-license-proxy.js'
import type { LicenseProxyOptions } from './options.js'
import {
  bodyOf,
  errorCodeOf,
  fakeUpstream,
  healthy,
  json,
  KEY,
  MASKED,
  NOW,
  post,
  testOptions,
} from './test-support/fake-upstream.js'

type Responder = NonNullable<Parameters<typeof fakeUpstream>[0]>

/** An app that keeps one installation key, as a database row would. */
function installation(
  stored: string | null,
  respond?: Responder,
  overrides: Partial<LicenseProxyOptions> = {},
) {
  const upstream = fakeUpstream(respond)
  const events: string[] = []
  const logs: string[] = []
  const app = { key: stored }
  const proxy = createLicenseProxy(
    testOptions(upstream.fetch, {
      log: (line) => logs.push(line),
      resolveKey: async () => app.key,
      onActivate: async (_request, key) => {
        events.push(`activate ${key}`)
        app.key = key
      },
      onDeactivate: async (_request, key) => {
        events.push(`deactivate ${key}`)
        app.key = null
      },
      ...overrides,
    }),
  )
  return { proxy, calls: upstream.calls, events, logs, app }
}

describe('installation mode', () => {
  it('validates {} with no stored key as 200 {license: null}, without an upstream call', async () => {
    const { proxy, calls } = installation(null)
    const response = await proxy(post('validate', {}))
    expect(response.status).toBe(200)
    expect(await bodyOf(response)).toEqual({
      ok: true,
      license: null,
      checkedAt: new Date(NOW).toISOString(),
    })
    expect(calls).toHaveLength(0)
  })

  it('validates {} with the stored key', async () => {
    const { proxy, calls } = installation('shop-a1b2-c3d4-e5f6-g7h8')
    const body = await bodyOf(await proxy(post('validate', {})))
    expect((body.license as { key: string }).key).toBe(MASKED)
    expect(calls.map((call) => [call.action, call.body.key])).toEqual([['validate', KEY]])
  })

  it.each(['validate', 'deactivate'])('refuses a key in the body of %s', async (action) => {
    const { proxy, calls } = installation(KEY)
    const response = await proxy(post(action, { key: KEY }))
    expect(response.status).toBe(400)
    expect(await errorCodeOf(response)).toBe('bad_request')
    expect(calls).toHaveLength(0)
  })

  it('requires {key} to activate', async () => {
    const { proxy, calls } = installation(null)
    const response = await proxy(post('activate', {}))
    expect(response.status).toBe(400)
    expect(await errorCodeOf(response)).toBe('bad_request')
    expect(calls).toHaveLength(0)
  })

  it('stores the key through onActivate after the upstream activation', async () => {
    const order: string[] = []
    const { proxy, calls, app } = installation(
      null,
      (call, index) => {
        order.push(`upstream ${call.action}`)
        return healthy(call, index)
      },
      {
        onActivate: (_request, key) => {
          order.push(`onActivate ${key}`)
          app.key = key
        },
      },
    )
    const response = await proxy(post('activate', { key: 'shop a1b2 c3d4 e5f6 g7h8' }))
    expect(response.status).toBe(200)
    expect(order).toEqual(['upstream validate', 'upstream activate', `onActivate ${KEY}`])
    expect(app.key).toBe(KEY)
    expect(calls).toHaveLength(2)
  })

  it.each<[string, Responder]>([
    ['a refused validation', () => json(403, { valid: false, message: 'License revoked' })],
    [
      'a full license',
      (call, index) =>
        call.action === 'activate'
          ? json(409, { activated: false, message: 'Activation limit reached' })
          : healthy(call, index),
    ],
    ['an unreachable upstream', () => Promise.reject(new TypeError('fetch failed'))],
  ])('does not call onActivate after %s', async (_label, respond) => {
    const { proxy, events, app } = installation(null, respond)
    expect((await proxy(post('activate'))).status).not.toBe(200)
    expect(events).toEqual([])
    expect(app.key).toBeNull()
  })

  it('keeps the activation when onActivate fails, answers 503, and a retry reuses it', async () => {
    let failures = 1
    const { proxy, calls, logs, app } = installation(null, undefined, {
      onActivate: (_request, key) => {
        if (failures-- > 0) throw new Error('database is locked')
        app.key = key
      },
    })
    const first = await proxy(post('activate'))
    expect(first.status).toBe(503)
    const body = (await first.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('upstream_unavailable')
    expect(body.error.message).toMatch(/activated but could not be saved/)
    expect(calls.map((call) => call.action)).toEqual(['validate', 'activate'])
    expect(logs.join('\n')).toMatch(/onActivate threw.*kept/)
    const retry = await proxy(post('activate'))
    expect(retry.status).toBe(200)
    expect(app.key).toBe(KEY)
    expect(calls.map((call) => call.action)).not.toContain('deactivate')
  })

  it('deactivates {} with the stored key and calls onDeactivate', async () => {
    const { proxy, calls, events, app } = installation(KEY)
    const response = await proxy(post('deactivate', {}))
    expect(await bodyOf(response)).toEqual({
      ok: true,
      license: null,
      checkedAt: new Date(NOW).toISOString(),
    })
    expect(calls.map((call) => [call.action, call.body.key])).toEqual([['deactivate', KEY]])
    expect(events).toEqual([`deactivate ${KEY}`])
    expect(app.key).toBeNull()
  })

  it('deactivates {} with no stored key as 200 {license: null}, without an upstream call', async () => {
    const { proxy, calls, events } = installation(null)
    const response = await proxy(post('deactivate', {}))
    expect(response.status).toBe(200)
    expect((await bodyOf(response)).license).toBeNull()
    expect(calls).toHaveLength(0)
    expect(events).toEqual([])
  })

  it('forgets the key when the upstream holds no activation for the domain', async () => {
    const { proxy, events } = installation(KEY, () =>
      json(404, { deactivated: false, message: 'Activation not found' }),
    )
    expect((await proxy(post('deactivate', {}))).status).toBe(200)
    expect(events).toEqual([`deactivate ${KEY}`])
  })

  it('answers 503 when onDeactivate fails, and a retry forgets the key', async () => {
    let failures = 1
    let held = true
    const { proxy, app, logs } = installation(
      KEY,
      (call, index) => {
        if (call.action !== 'deactivate') return healthy(call, index)
        if (!held) return json(404, { deactivated: false, message: 'Activation not found' })
        held = false
        return healthy(call, index)
      },
      {
        onDeactivate: () => {
          if (failures-- > 0) throw new Error('database is locked')
          app.key = null
        },
      },
    )
    expect((await proxy(post('deactivate', {}))).status).toBe(503)
    expect(app.key).toBe(KEY)
    expect(logs.join('\n')).toMatch(/onDeactivate threw/)
    expect((await proxy(post('deactivate', {}))).status).toBe(200)
    expect(app.key).toBeNull()
  })

  it('keeps the key when the upstream deactivation fails', async () => {
    const { proxy, events, app } = installation(KEY, () => new Response('', { status: 502 }))
    expect((await proxy(post('deactivate', {}))).status).toBe(503)
    expect(events).toEqual([])
    expect(app.key).toBe(KEY)
  })

  it.each(['activate', 'deactivate'])(
    'answers 403 when authorize refuses %s, with no upstream call and no hook',
    async (action) => {
      const { proxy, calls, events } = installation(KEY, undefined, { authorize: () => false })
      const response = await proxy(post(action, action === 'activate' ? { key: KEY } : {}))
      expect(response.status).toBe(403)
      expect(await errorCodeOf(response)).toBe('forbidden')
      expect(calls).toHaveLength(0)
      expect(events).toEqual([])
    },
  )

  it('lets authorize see the request', async () => {
    const { proxy } = installation(null, undefined, {
      authorize: (request) => request.headers.get('x-role') === 'admin',
    })
    expect((await proxy(post('activate'))).status).toBe(403)
    expect(
      (await proxy(post('activate', { key: KEY }, { headers: { 'x-role': 'admin' } }))).status,
    ).toBe(200)
  })

  it('answers 503 when resolveKey throws, and logs it', async () => {
    const { proxy, calls, logs } = installation(null, undefined, {
      resolveKey: () => Promise.reject(new Error('tenant db down')),
    })
    const response = await proxy(post('validate', {}))
    expect(response.status).toBe(503)
    expect(calls).toHaveLength(0)
    expect(logs.join('\n')).toMatch(/resolveKey threw.*tenant db down/)
  })

  it('answers invalid_key_format for a stored key that is not a key', async () => {
    const { proxy, calls } = installation('garbage')
    const response = await proxy(post('validate', {}))
    expect(response.status).toBe(400)
    expect(await errorCodeOf(response)).toBe('invalid_key_format')
    expect(calls).toHaveLength(0)
  })

  it('refuses onActivate without resolveKey at construction', () => {
    const { fetch } = fakeUpstream()
    expect(() => createLicenseProxy(testOptions(fetch, { onActivate: () => {} }))).toThrow(
      expect.objectContaining({ code: 'invalid_config' }),
    )
  })
})

describe('device mode', () => {
  it.each(['validate', 'activate', 'deactivate'])('requires {key} for %s', async (action) => {
    const upstream = fakeUpstream()
    const proxy = createLicenseProxy(testOptions(upstream.fetch))
    const response = await proxy(post(action, {}))
    expect(response.status).toBe(400)
    expect(await errorCodeOf(response)).toBe('bad_request')
    expect(upstream.calls).toHaveLength(0)
  })

  it('does not free a slot that is not held (not_activated)', async () => {
    const upstream = fakeUpstream(() =>
      json(404, { deactivated: false, message: 'Activation not found' }),
    )
    const proxy = createLicenseProxy(testOptions(upstream.fetch))
    const response = await proxy(post('deactivate'))
    expect(response.status).toBe(409)
    expect(await errorCodeOf(response)).toBe('not_activated')
  })
})
