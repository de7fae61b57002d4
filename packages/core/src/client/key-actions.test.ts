// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { isLicenseError } from '../errors/license-error.js'
import { licenseActions } from './key-actions.js'
import { clientSuite } from './test-support/client-suite.js'
import { json, refused } from './test-support/fake-proxy.js'
import {
  activeRecord,
  DAY,
  KEY,
  OTHER_KEY,
  readRecord,
  writeRecord,
} from './test-support/harness.js'
import type { GatingClient, LicenseClient } from './types.js'

const suite = clientSuite()
const startedGating = () => suite.startedGating()

describe('createGatingClient', () => {
  it('has no key commands of its own', () => {
    const client = suite.h.gating()
    expect('activate' in client).toBe(false)
    expect('deactivate' in client).toBe(false)
  })

  it('gates from the cache and validates like the full client', async () => {
    await writeRecord(activeRecord(8 * DAY))
    const client = await startedGating()
    expect(client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
    expect(suite.h.proxy.calls.map((call) => call.action)).toEqual(['validate'])
  })
})

describe('licenseActions', () => {
  it("returns a LicenseClient's own commands", () => {
    const client: LicenseClient = suite.h.create()
    const actions = licenseActions(client)
    expect(actions.activate).toBe(client.activate)
    expect(actions.deactivate).toBe(client.deactivate)
  })

  it('activates and deactivates through a gating client, whose state follows', async () => {
    const client = await startedGating()
    const { activate, deactivate } = licenseActions(client)
    const state = await activate(' shop a1b2 c3d4 e5f6 g7h8 ')
    expect(state).toBe(client.getSnapshot())
    expect(state).toMatchObject({ status: 'active', source: 'server' })
    expect(suite.h.proxy.calls.at(-1)).toMatchObject({ action: 'activate', body: { key: KEY } })
    expect(await readRecord()).toMatchObject({ key: KEY })

    suite.h.proxy.reply(() =>
      json(200, { ok: true, license: null, checkedAt: new Date().toISOString() }),
    )
    const { outcome } = await deactivate()
    expect(outcome).toBe('freed')
    expect(client.getSnapshot()).toMatchObject({ status: 'unlicensed' })
    expect(await readRecord()).toBeUndefined()
  })

  it('refuses a malformed key without a request', async () => {
    const client = await startedGating()
    const error = await licenseActions(client)
      .activate('not a key')
      .catch((caught: unknown) => caught)
    expect(isLicenseError(error) && error.code).toBe('invalid_key_format')
    expect(suite.h.proxy.count()).toBe(0)
  })

  it('keeps a licensed state when another key is refused', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await startedGating()
    suite.h.proxy.reply(() => refused(403, 'limit_reached'))
    await expect(licenseActions(client).activate(OTHER_KEY)).rejects.toMatchObject({
      code: 'limit_reached',
    })
    expect(client.getSnapshot()).toMatchObject({ status: 'active', source: 'cache' })
    expect(await readRecord()).toMatchObject({ key: KEY })
  })

  it('queues the release of the held slot while the proxy is unreachable', async () => {
    await writeRecord(activeRecord(DAY))
    const client = await startedGating()
    suite.h.proxy.reply(() => Promise.reject(new TypeError('offline')))
    const { outcome, state } = await licenseActions(client).deactivate()
    expect(outcome).toBe('queued')
    expect(state).toMatchObject({ status: 'unlicensed', pendingDeactivations: 1 })
    expect(await readRecord()).toMatchObject({ pendingDeactivations: [{ key: KEY }] })
  })

  it('works on a copy of a gating client, as wrappers make them', async () => {
    const client = await startedGating()
    const wrapped: GatingClient = { ...client, start: () => client.start() }
    await licenseActions(wrapped).activate(KEY)
    expect(client.getSnapshot()).toMatchObject({ status: 'active', source: 'server' })
  })

  it('refuses an object that is neither a client built here nor has commands', () => {
    const client = suite.h.gating()
    const { getSnapshot, getServerSnapshot, subscribe, start, stop, refresh, storedToken } = client
    const own: GatingClient = {
      getSnapshot,
      getServerSnapshot,
      subscribe,
      start,
      stop,
      refresh,
      storedToken,
    }
    expect(() => licenseActions(own)).toThrow(
      expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
    )
  })
})
