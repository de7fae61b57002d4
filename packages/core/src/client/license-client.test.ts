// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { LicenseErrorCode } from '../errors/codes.js'
import { isLicenseError } from '../errors/license-error.js'
import { fakeTimeoutSignals } from '../test-support/fake-timeout-signal.js'
import { createLicenseClient } from './create-license-client.js'
import { deferred, granted, json, LICENSE, refused } from './test-support/fake-proxy.js'
import { settle } from './test-support/fakes.js'
import {
  activeRecord,
  DAY,
  ENDPOINT,
  freshIndexedDb,
  type Harness,
  harness,
  KEY,
  OTHER_KEY,
  readRecord,
  T0,
  useClock,
  writeRecord,
} from './test-support/harness.js'
import type { LicenseClient, LicenseState } from './types.js'

let h: Harness
let client: LicenseClient | undefined

beforeEach(() => {
  useClock()
  freshIndexedDb()
  h = harness()
})

afterEach(() => {
  client?.stop()
  client = undefined
  vi.restoreAllMocks()
  vi.useRealTimers()
})

async function started(options: Parameters<Harness['create']>[0] = {}): Promise<LicenseClient> {
  client = h.create(options)
  client.start()
  await settle()
  return client
}

describe('options', () => {
  it.each([
    ['graceDays below 7', { graceDays: 6 }],
    ['graceDays above 30', { graceDays: 31 }],
    ['graceDays not a number', { graceDays: Number.NaN }],
    ['heartbeatIntervalMs below a minute', { heartbeatIntervalMs: 59_999 }],
    ['an empty endpoint', { endpoint: ' ' }],
    ['an unknown mode', { mode: 'tenant' as 'device' }],
    ['a zero timeout', { timeoutMs: 0 }],
  ])('refuses %s with invalid_config', (_label, options) => {
    expect(() => createLicenseClient({ endpoint: ENDPOINT, ...options })).toThrow(
      expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
    )
  })

  it('accepts the bounds', () => {
    expect(() =>
      createLicenseClient({ endpoint: ENDPOINT, graceDays: 30, heartbeatIntervalMs: 60_000 }),
    ).not.toThrow()
    expect(() => createLicenseClient({ endpoint: ENDPOINT, graceDays: 7 })).not.toThrow()
  })
})

describe('1. cached start', () => {
  it('is loading until storage is read, then shows the cached grant without a request', async () => {
    await writeRecord(activeRecord(DAY))
    client = h.create()
    client.start()
    expect(client.getSnapshot().status).toBe('loading')
    await settle()
    expect(client.getSnapshot()).toMatchObject({
      status: 'active',
      source: 'cache',
      license: LICENSE,
      isChecking: false,
    })
    expect(h.proxy.count()).toBe(0)
  })

  it('revalidates in the background when due, publishing the cache first', async () => {
    await writeRecord(activeRecord(8 * DAY))
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    await started({ graceDays: 14 })
    expect(client?.getSnapshot()).toMatchObject({
      status: 'active',
      source: 'cache',
      isChecking: true,
    })
    expect(h.proxy.calls).toEqual([
      { action: 'validate', body: { key: KEY }, credentials: 'same-origin' },
    ])
    answer.resolve(granted())
    await settle()
    expect(client?.getSnapshot()).toMatchObject({
      status: 'active',
      source: 'server',
      checkedAt: new Date(T0).toISOString(),
      isChecking: false,
    })
  })

  it('without a stored key is unlicensed and asks nothing (device mode)', async () => {
    const c = await started()
    expect(c.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'none' })
    expect(h.proxy.count()).toBe(0)
  })

  it('in installation mode with nothing stored asks the proxy with {} and shows unlicensed for null', async () => {
    h.proxy.reply(() => granted(null))
    const c = await started({ mode: 'installation' })
    expect(h.proxy.calls.map((call) => call.body)).toEqual([{}])
    expect(c.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'server' })
  })

  it('in installation mode uses a cached grant the same way', async () => {
    const { key: _key, ...record } = activeRecord(DAY)
    await writeRecord(record, 'installation')
    const c = await started({ mode: 'installation' })
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(h.proxy.count()).toBe(0)
  })

  it('ignores a malformed record and reports it', async () => {
    await writeRecord({ ...activeRecord(DAY), v: 2 })
    const c = await started()
    expect(c.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'none' })
    expect(h.errors).toEqual([expect.objectContaining({ code: 'invalid_payload' })])
  })

  it.each([
    ['a key that is not canonical', { key: 'shop-a1b2-c3d4-e5f6-g7h8' }],
    ['an unknown field', { granted: true }],
    ['a non-ISO checkedAt', { checkedAt: 'yesterday' }],
    ['an unknown reason', { reason: 'because' }],
    ['a license without status', { license: { key: 'x', expiresAt: null } }],
  ])('never trusts a record with %s', async (_label, edit) => {
    await writeRecord({ ...activeRecord(DAY), ...edit })
    const c = await started()
    expect(c.getSnapshot().status).toBe('unlicensed')
  })

  it('getServerSnapshot is one constant loading snapshot', () => {
    const c = h.create()
    expect(c.getServerSnapshot()).toBe(c.getServerSnapshot())
    expect(c.getServerSnapshot()).toMatchObject({ status: 'loading', source: 'none' })
    expect(Object.isFrozen(c.getServerSnapshot())).toBe(true)
  })
})

describe('2. activation', () => {
  it('normalises the key, activates and persists key, license, receipt and checkedAt', async () => {
    h.proxy.reply(() => granted(LICENSE, { receipt: 'r.s' }))
    const c = await started()
    const state = await c.activate(' shop a1b2c3d4e5f6g7h8 ')
    expect(h.proxy.calls.map(({ action, body }) => ({ action, body }))).toEqual([
      { action: 'activate', body: { key: KEY } },
    ])
    expect(state).toBe(c.getSnapshot())
    expect(state).toMatchObject({ status: 'active', source: 'server', license: LICENSE })
    expect(await readRecord()).toMatchObject({
      v: 1,
      key: KEY,
      license: LICENSE,
      receipt: 'r.s',
      checkedAt: new Date(T0).toISOString(),
      lastActiveAt: new Date(T0).toISOString(),
    })
  })

  it('rejects a malformed key before any request and leaves the state alone', async () => {
    const c = await started()
    const before = c.getSnapshot()
    await expect(c.activate('SHOP-A1B2')).rejects.toMatchObject({ code: 'invalid_key_format' })
    expect(h.proxy.count()).toBe(0)
    expect(c.getSnapshot()).toBe(before)
  })

  it.each<[LicenseErrorCode, number]>([
    ['not_found', 404],
    ['limit_reached', 409],
    ['expired', 403],
    ['suspended', 403],
    ['revoked', 403],
  ])('a definite %s gives denied with that reason and rejects', async (code, status) => {
    h.proxy.reply(() => refused(status, code))
    const c = await started()
    const error = await c.activate(KEY).catch((e: unknown) => e)
    expect(isLicenseError(error) && error.code).toBe(code)
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: code, source: 'server' })
    expect(await readRecord()).toBeUndefined()
  })

  it('keeps the previous working key when the new one is refused', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => refused(409, 'limit_reached'))
    await expect(c.activate(OTHER_KEY)).rejects.toMatchObject({ code: 'limit_reached' })
    expect(c.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(await readRecord()).toMatchObject({ key: KEY })
    h.proxy.reply(() => granted())
    await c.refresh()
    expect(h.proxy.calls.at(-1)?.body).toEqual({ key: KEY })
  })

  it('keeps the previous key and state when the proxy is unreachable', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await expect(c.activate(OTHER_KEY)).rejects.toMatchObject({ code: 'unreachable' })
    expect(c.getSnapshot()).toMatchObject({ status: 'active' })
    expect(await readRecord()).toMatchObject({ key: KEY })
  })

  it('replaces the key once the new one succeeds', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    await c.activate(OTHER_KEY)
    expect(await readRecord()).toMatchObject({ key: OTHER_KEY })
  })

  it('in installation mode sends the key but never stores it', async () => {
    const c = await started({ mode: 'installation' })
    h.proxy.reply(() => granted())
    await c.activate(KEY)
    expect(h.proxy.calls.at(-1)).toMatchObject({ action: 'activate', body: { key: KEY } })
    expect(c.getSnapshot().status).toBe('active')
    const stored = await readRecord('installation')
    expect(stored).toMatchObject({ license: LICENSE })
    expect(JSON.stringify(stored)).not.toContain('A1B2')
  })
})

describe('3. definite denial', () => {
  it.each<[LicenseErrorCode, number]>([
    ['revoked', 403],
    ['expired', 403],
    ['not_found', 404],
  ])(
    'a %s answer clears the cached grant, so a later outage never shows grace',
    async (code, status) => {
      await writeRecord(activeRecord(DAY))
      const c = await started()
      h.proxy.reply(() => refused(status, code))
      await c.refresh()
      expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: code, source: 'server' })
      expect(await readRecord()).toMatchObject({ lastActiveAt: null, reason: code, key: KEY })
      h.proxy.reply(() => 'network-error')
      await c.refresh()
      expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: code })
    },
  )

  it('a denial is remembered across restarts', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => refused(403, 'revoked'))
    await c.refresh()
    c.stop()
    const next = await started()
    expect(next.getSnapshot()).toMatchObject({
      status: 'denied',
      reason: 'revoked',
      source: 'cache',
    })
  })

  it('in installation mode too', async () => {
    const { key: _key, ...record } = activeRecord(DAY)
    await writeRecord(record, 'installation')
    const c = await started({ mode: 'installation' })
    h.proxy.reply(() => refused(403, 'suspended'))
    await c.refresh()
    expect(h.proxy.calls.at(-1)?.body).toEqual({})
    h.proxy.reply(() => json(503, {}))
    await c.refresh()
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'suspended' })
  })

  it('an answer with a license that is not active denies too', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => granted({ ...LICENSE, status: 'suspended' }))
    await c.refresh()
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'suspended' })
  })
})

describe('4. unreachable', () => {
  it.each<[string, () => Response | 'network-error']>([
    ['a network error', () => 'network-error'],
    ['429', () => refused(429, 'rate_limited', { 'retry-after': '30' })],
    ['502', () => refused(502, 'upstream_misconfigured')],
    ['503', () => refused(503, 'upstream_unavailable')],
    ['504 without a body', () => new Response('gateway timeout', { status: 504 })],
    ['a 200 that is not JSON', () => new Response('<html>', { status: 200 })],
    ['a 200 of the wrong shape', () => json(200, { ok: true })],
  ])('%s within graceDays gives grace with graceEndsAt', async (_label, reply) => {
    await writeRecord(activeRecord(3 * DAY))
    const c = await started()
    h.proxy.reply(reply)
    await c.refresh()
    expect(c.getSnapshot()).toMatchObject({
      status: 'grace',
      reason: 'unreachable',
      source: 'cache',
      license: LICENSE,
      graceEndsAt: new Date(T0 + 4 * DAY).toISOString(),
    })
  })

  it('a timeout counts as unreachable', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started({ timeoutMs: 5_000 })
    const delays = fakeTimeoutSignals()
    h.proxy.reply(() => new Promise<Response>(() => {}))
    const result = c.refresh()
    await settle()
    await vi.advanceTimersByTimeAsync(5_000)
    expect((await result).status).toBe('grace')
    expect(delays).toEqual([5_000])
  })

  it('past graceDays gives denied grace_expired', async () => {
    await writeRecord(activeRecord(8 * DAY))
    h.proxy.reply(() => 'network-error')
    const c = await started()
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
  })

  it('grace honours graceDays up to 30', async () => {
    await writeRecord(activeRecord(20 * DAY))
    h.proxy.reply(() => 'network-error')
    const c = await started({ graceDays: 30 })
    expect(c.getSnapshot()).toMatchObject({
      status: 'grace',
      graceEndsAt: new Date(T0 + 10 * DAY).toISOString(),
    })
  })

  it("ends grace at the license's own expiry", async () => {
    const expiresAt = new Date(T0 + DAY).toISOString()
    await writeRecord(activeRecord(DAY, { license: { ...LICENSE, expiresAt } }))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    expect(c.getSnapshot()).toMatchObject({ status: 'grace', graceEndsAt: expiresAt })
  })

  it('never grants grace past the expiry', async () => {
    const expiresAt = new Date(T0 - 1000).toISOString()
    await writeRecord(activeRecord(DAY, { license: { ...LICENSE, expiresAt } }))
    h.proxy.reply(() => 'network-error')
    const c = await started()
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
  })

  it('a JSON refusal with another status (400, 500) is definite, not unreachable', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => refused(400, 'bad_request'))
    await c.refresh()
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'bad_request' })
  })

  it('in installation mode a never-answered client is denied grace_expired', async () => {
    h.proxy.reply(() => 'network-error')
    const c = await started({ mode: 'installation' })
    expect(c.getSnapshot()).toMatchObject({ status: 'denied', reason: 'grace_expired' })
  })

  it('in installation mode grace works from the cached answer', async () => {
    const { key: _key, ...record } = activeRecord(2 * DAY)
    await writeRecord(record, 'installation')
    const c = await started({ mode: 'installation' })
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    expect(c.getSnapshot()).toMatchObject({ status: 'grace' })
  })
})

describe('8. single flight', () => {
  it('concurrent refresh calls share one request', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    const calls = [c.refresh(), c.refresh(), c.refresh()]
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    answer.resolve(granted())
    const states = await Promise.all(calls)
    expect(states[0]).toBe(states[1])
    expect(states[1]).toBe(states[2])
    expect(h.proxy.count('validate')).toBe(1)
    await c.refresh()
    expect(h.proxy.count('validate')).toBe(2)
  })

  it('drops a validation answer that raced with a new activation', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    const stale = deferred<Response>()
    h.proxy.reply(({ action }) => (action === 'validate' ? stale.promise : granted()))
    const refreshing = c.refresh()
    await settle()
    await c.activate(OTHER_KEY)
    stale.resolve(refused(403, 'revoked'))
    await refreshing
    expect(c.getSnapshot()).toMatchObject({ status: 'active' })
    expect(await readRecord()).toMatchObject({ key: OTHER_KEY, reason: null })
  })
})

describe('10. deactivation', () => {
  it('frees the slot, clears the cache and gives unlicensed', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => json(200, { ok: true, license: null, checkedAt: new Date().toISOString() }))
    const { outcome, state } = await c.deactivate()
    expect(outcome).toBe('freed')
    expect(h.proxy.calls.at(-1)).toMatchObject({ action: 'deactivate', body: { key: KEY } })
    expect(state).toMatchObject({
      status: 'unlicensed',
      source: 'server',
      license: null,
      pendingDeactivations: 0,
    })
    expect(await readRecord()).toBeUndefined()
  })

  it('when unreachable stores the deactivation as pending, is unlicensed at once, retries online', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    const { outcome, state } = await c.deactivate()
    expect(outcome).toBe('queued')
    expect(state).toMatchObject({ status: 'unlicensed', license: null, pendingDeactivations: 1 })
    expect(await readRecord()).toMatchObject({
      pendingDeactivations: [{ key: KEY }],
      license: null,
    })
    h.proxy.reply(() => granted(null))
    h.online.fire()
    await settle()
    expect(h.proxy.calls.at(-1)).toMatchObject({ action: 'deactivate', body: { key: KEY } })
    expect(await readRecord()).toBeUndefined()
    expect(c.getSnapshot()).toMatchObject({ status: 'unlicensed', pendingDeactivations: 0 })
  })

  it('retries a pending deactivation on start, keeping it while still unreachable', async () => {
    await writeRecord(
      activeRecord(DAY, {
        key: undefined,
        license: null,
        lastActiveAt: null,
        pendingDeactivations: [{ key: KEY }],
      }),
    )
    h.proxy.reply(() => 'network-error')
    const c = await started()
    expect(h.proxy.calls.map(({ action, body }) => ({ action, body }))).toEqual([
      { action: 'deactivate', body: { key: KEY } },
    ])
    expect(c.getSnapshot().status).toBe('unlicensed')
    expect(await readRecord()).toMatchObject({ pendingDeactivations: [{ key: KEY }] })
    c.stop()
    h.proxy.reply(() => refused(404, 'not_found'))
    await started()
    expect(await readRecord()).toBeUndefined()
  })

  it('keeps a pending deactivation when another key is activated meanwhile', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await c.deactivate()
    h.proxy.reply(({ action }) => (action === 'activate' ? granted() : 'network-error'))
    await c.activate(OTHER_KEY)
    expect(await readRecord()).toMatchObject({
      key: OTHER_KEY,
      pendingDeactivations: [{ key: KEY }],
    })
  })

  it('a refused deactivation (forbidden) rejects and keeps the license', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => refused(403, 'forbidden'))
    await expect(c.deactivate()).rejects.toMatchObject({ code: 'forbidden' })
    expect(c.getSnapshot().status).toBe('active')
    expect(await readRecord()).toMatchObject({ key: KEY })
  })

  it('in installation mode posts {} and keeps a pending {} without any key', async () => {
    const { key: _key, ...record } = activeRecord(DAY)
    await writeRecord(record, 'installation')
    const c = await started({ mode: 'installation' })
    h.proxy.reply(() => 'network-error')
    await c.deactivate()
    expect(h.proxy.calls.at(-1)).toMatchObject({ action: 'deactivate', body: {} })
    expect(await readRecord('installation')).toMatchObject({ pendingDeactivations: [{}] })
    h.proxy.reply(() => granted(null))
    await c.refresh()
    expect(h.proxy.calls.map((call) => call.action).slice(-2)).toEqual(['deactivate', 'validate'])
    expect(h.proxy.calls.at(-2)?.body).toEqual({})
    const stored = await readRecord('installation')
    expect(stored).toMatchObject({ license: null, reason: null })
    expect(stored).not.toHaveProperty('pendingDeactivations')
    expect(c.getSnapshot()).toMatchObject({ status: 'unlicensed', source: 'server' })
  })
})

describe('10b. switching keys', () => {
  it("activates the new key first, then frees the old key's slot", async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    const state = await c.activate(OTHER_KEY)
    expect(h.proxy.calls.map(({ action, body }) => ({ action, body }))).toEqual([
      { action: 'activate', body: { key: OTHER_KEY } },
      { action: 'deactivate', body: { key: KEY } },
    ])
    expect(state).toMatchObject({ status: 'active', pendingDeactivations: 0 })
    const stored = await readRecord()
    expect(stored).toMatchObject({ key: OTHER_KEY })
    expect(stored).not.toHaveProperty('pendingDeactivations')
  })

  it("queues the old key's deactivation when the proxy drops after the new key succeeded", async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(({ action }) => (action === 'activate' ? granted() : 'network-error'))
    const state = await c.activate(OTHER_KEY)
    expect(state).toMatchObject({ status: 'active', pendingDeactivations: 1 })
    expect(await readRecord()).toMatchObject({
      key: OTHER_KEY,
      pendingDeactivations: [{ key: KEY }],
    })
    h.proxy.reply(() => granted())
    await c.refresh()
    expect(h.proxy.calls.slice(-2).map(({ action, body }) => ({ action, body }))).toEqual([
      { action: 'deactivate', body: { key: KEY } },
      { action: 'validate', body: { key: OTHER_KEY } },
    ])
    expect(c.getSnapshot()).toMatchObject({ status: 'active', pendingDeactivations: 0 })
  })

  it.each([
    ['refused', () => refused(409, 'limit_reached')],
    ['unreachable', () => 'network-error' as const],
  ])('a %s switch keeps the old key working and its slot held', async (_label, answer) => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(answer)
    await expect(c.activate(OTHER_KEY)).rejects.toMatchObject({ name: 'LicenseError' })
    expect(h.proxy.calls.map((call) => call.action)).toEqual(['activate'])
    expect(c.getSnapshot()).toMatchObject({ status: 'active', pendingDeactivations: 0 })
    const stored = await readRecord()
    expect(stored).toMatchObject({ key: KEY })
    expect(stored).not.toHaveProperty('pendingDeactivations')
  })

  it('activating the key already held frees nothing', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    await c.activate(KEY)
    expect(h.proxy.calls.map((call) => call.action)).toEqual(['activate'])
  })
})

describe('10c. deactivation outcomes', () => {
  it('is not_held without a key, and sends nothing', async () => {
    const c = await started()
    expect(await c.deactivate()).toMatchObject({
      outcome: 'not_held',
      state: { status: 'unlicensed' },
    })
    expect(h.proxy.count()).toBe(0)
  })

  it.each(['not_activated', 'not_found'] as const)(
    'is not_held when the license API had no slot (%s)',
    async (code) => {
      await writeRecord(activeRecord(DAY))
      const c = await started()
      h.proxy.reply(() => refused(404, code))
      expect(await c.deactivate()).toMatchObject({
        outcome: 'not_held',
        state: { status: 'unlicensed', pendingDeactivations: 0 },
      })
      expect(await readRecord()).toBeUndefined()
    },
  )

  it('a queued deactivation stays in the state after a reload', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    h.proxy.reply(() => 'network-error')
    await c.deactivate()
    c.stop()
    const reloaded = await started()
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'unlicensed', pendingDeactivations: 1 })
  })
})

describe('10d. key format', () => {
  const ECO = { prefix: 'ECO', groups: 3 } as const

  it('normalises with the configured format, and keeps such a key across reloads', async () => {
    const c = await started({ keyFormat: ECO })
    await c.activate(' eco a1b2 c3d4 e5f6 ')
    expect(h.proxy.calls[0]?.body).toEqual({ key: 'ECO-A1B2-C3D4-E5F6' })
    c.stop()
    const reloaded = await started({ keyFormat: ECO })
    expect(reloaded.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(h.errors).toEqual([])
  })

  it('refuses a key of another format before any request', async () => {
    const c = await started({ keyFormat: ECO })
    await expect(c.activate(KEY)).rejects.toMatchObject({
      code: 'invalid_key_format',
      message: 'Invalid license key: expected ECO-XXXX-XXXX-XXXX',
    })
    expect(h.proxy.count()).toBe(0)
  })

  it('refuses a format that is not one with invalid_config', () => {
    expect(() => h.create({ keyFormat: { prefix: 'E', groups: 4 } })).toThrow(
      expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
    )
  })
})

describe('12. snapshots', () => {
  it('are frozen, and change identity only with their content', async () => {
    await writeRecord(activeRecord(DAY))
    const c = await started()
    const fixed = new Date(T0).toISOString()
    h.proxy.reply(() => granted(LICENSE, { checkedAt: fixed }))
    const first = await c.refresh()
    expect(Object.isFrozen(first)).toBe(true)
    expect(Object.isFrozen(first.license)).toBe(true)
    expect(() => {
      ;(first as { status: string }).status = 'active'
    }).toThrow(TypeError)
    const seen: unknown[] = []
    c.subscribe(() => seen.push(c.getSnapshot()))
    const second = await c.refresh()
    expect(seen).toHaveLength(2)
    expect(seen[0]).toMatchObject({ isChecking: true })
    expect(second).toStrictEqual(first)
    expect(c.getSnapshot()).toBe(second)
    h.online.fire()
    h.visibility.set(true)
    await settle()
    expect(seen).toHaveLength(2)
    expect(c.getSnapshot()).toBe(second)
    h.proxy.reply(() => granted(LICENSE, { checkedAt: new Date(T0 + 1000).toISOString() }))
    const third = await c.refresh()
    expect(third).not.toBe(second)
    expect(third.checkedAt).toBe(new Date(T0 + 1000).toISOString())
  })

  it('refreshing without a key publishes nothing new', async () => {
    const c = await started()
    const before = c.getSnapshot()
    const listener = vi.fn()
    c.subscribe(listener)
    expect(await c.refresh()).toBe(before)
    expect(listener).not.toHaveBeenCalled()
  })

  it('unsubscribe stops notifications', async () => {
    const c = await started()
    const listener = vi.fn()
    const unsubscribe = c.subscribe(listener)
    unsubscribe()
    await c.activate(KEY)
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('storage', () => {
  it('degrades to memory when storage fails, reports it, and keeps working', async () => {
    const failing = {
      get: () => Promise.reject(new Error('blocked')),
      set: () => Promise.reject(new Error('quota')),
      del: () => Promise.reject(new Error('blocked')),
    }
    const c = await started({ storage: failing })
    expect(c.getSnapshot().status).toBe('unlicensed')
    await c.activate(KEY)
    expect(c.getSnapshot().status).toBe('active')
    h.proxy.reply(() => 'network-error')
    await c.refresh()
    expect(c.getSnapshot().status).toBe('grace')
    expect(h.errors).toHaveLength(1)
  })
})

describe('lifecycle', () => {
  it('start() n times needs stop() n times', async () => {
    await writeRecord(activeRecord(DAY))
    const c = h.create()
    c.start()
    c.start()
    await settle()
    expect(h.visibility.added).toBe(1)
    expect(h.online.added).toBe(1)
    c.stop()
    expect(h.visibility.removed).toBe(0)
    expect(vi.getTimerCount()).toBe(1)
    await vi.advanceTimersByTimeAsync(6 * DAY)
    await settle()
    expect(h.proxy.count('validate')).toBe(1)
    c.stop()
    expect(h.visibility.removed).toBe(1)
    expect(h.online.removed).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
    c.stop()
    c.start()
    await settle()
    expect(h.visibility.added).toBe(2)
    expect(vi.getTimerCount()).toBe(1)
    c.stop()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('a stop before the stored record is read drops what that read would publish', async () => {
    await writeRecord(activeRecord(DAY))
    const c = h.create()
    c.start()
    c.stop()
    await settle()
    expect(c.getSnapshot().status).toBe('loading')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('its methods are bound, so they work on their own', async () => {
    await writeRecord(activeRecord(DAY))
    client = h.create()
    const { start, getSnapshot, refresh } = client
    start()
    await settle()
    expect(getSnapshot().status).toBe('active')
    expect((await refresh()).source).toBe('server')
  })
})

describe('initialState (server-rendered first paint)', () => {
  const rendered = {
    status: 'active',
    reason: null,
    license: LICENSE,
    source: 'server',
    checkedAt: new Date(T0 - DAY).toISOString(),
    graceEndsAt: null,
    pendingDeactivations: 0,
    isChecking: false,
  } as const

  it('starts from the given state, and getServerSnapshot returns it', () => {
    const c = h.create({ initialState: rendered })
    expect(c.getSnapshot()).toEqual(rendered)
    expect(c.getServerSnapshot()).toEqual(rendered)
    expect(c.getServerSnapshot()).toBe(c.getServerSnapshot())
    expect(Object.isFrozen(c.getServerSnapshot())).toBe(true)
  })

  it('keeps it while the cache has nothing better than loading, until the server answers', async () => {
    const answer = deferred<Response>()
    h.proxy.reply(() => answer.promise)
    await started({ mode: 'installation', initialState: rendered })
    expect(client?.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
    expect(h.proxy.count('validate')).toBe(1)
    answer.resolve(refused(403, 'revoked'))
    await settle()
    expect(client?.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
    expect(client?.getServerSnapshot()).toEqual(rendered)
  })

  /** What an installation-mode client cached after an `active` answer `ageMs` ago (no key). */
  function installationRecord(ageMs: number) {
    const { key: _key, ...record } = activeRecord(ageMs)
    return record
  }

  it('keeps a server-rendered state newer than the cached grant (a revoked key stays locked)', async () => {
    h.proxy.reply(() => deferred<Response>().promise)
    await writeRecord(installationRecord(60 * 60 * 1000), 'installation')
    const revoked = {
      ...rendered,
      status: 'denied',
      reason: 'revoked',
      license: null,
      checkedAt: new Date(T0).toISOString(),
    } as const
    await started({ mode: 'installation', initialState: revoked })
    expect(client?.getSnapshot()).toMatchObject({ status: 'denied', reason: 'revoked' })
  })

  it('gives way to a cached grant newer than the server-rendered state', async () => {
    h.proxy.reply(() => deferred<Response>().promise)
    await writeRecord(installationRecord(60 * 60 * 1000), 'installation')
    const older = { ...rendered, status: 'unlicensed', license: null } as const
    await started({ mode: 'installation', initialState: older })
    expect(client?.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
  })

  it('without it, the server snapshot is loading', () => {
    const c = h.create()
    expect(c.getServerSnapshot()).toMatchObject({ status: 'loading', license: null })
  })

  it('refuses a value that is not a license state', () => {
    const bad = { status: 'paid' } as unknown as LicenseState
    expect(() => h.create({ initialState: bad })).toThrow(
      expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
    )
  })
})
