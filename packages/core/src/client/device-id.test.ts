// @vitest-environment happy-dom
import { createStore, get, set } from 'idb-keyval'
import { describe, expect, it, vi } from 'vitest'
import { DEVICE_ID } from '../binding.js'
import { createLicenseClient } from './create-license-client.js'
import {
  createDeviceId,
  DEVICE_ID_LOCK,
  DEVICE_ID_STORAGE_KEY,
  deviceBinding,
  deviceIdSource,
} from './device-id.js'
import type { LicenseClientOptions } from './options.js'
import { createMemoryStorage, type LicenseStorage } from './storage.js'
import { clientSuite } from './test-support/client-suite.js'
import { granted, json, refused } from './test-support/fake-proxy.js'
import { FakeLocks, settle } from './test-support/fakes.js'
import {
  activeRecord,
  DAY,
  ENDPOINT,
  KEY,
  OTHER_KEY,
  readRecord,
  writeRecord,
} from './test-support/harness.js'
import type { LicenseClient } from './types.js'

const DEVICE = 'abcdefghijklmnopqrstuvwxyz'
const store = () => createStore('licensekit', 'licenses')
const storedDevice = () => get(DEVICE_ID_STORAGE_KEY, store())

const suite = clientSuite()

function started(options: Partial<LicenseClientOptions> = {}): Promise<LicenseClient> {
  return suite.started({ binding: deviceBinding(), ...options })
}

describe('createDeviceId', () => {
  it('makes 26 lowercase base32 characters out of random bytes', () => {
    expect(createDeviceId((bytes) => bytes.fill(0))).toBe('a'.repeat(26))
    expect(createDeviceId((bytes) => bytes.fill(255))).toBe('7'.repeat(26))
    const counting = (bytes: Uint8Array) => bytes.map((_, i) => i + 32)
    expect(createDeviceId(counting)).toBe(DEVICE)
  })

  it('asks crypto.getRandomValues by default, so two ids differ', () => {
    const spy = vi.spyOn(crypto, 'getRandomValues')
    const first = createDeviceId()
    expect(spy).toHaveBeenCalledTimes(1)
    expect(first).toMatch(DEVICE_ID)
    expect(createDeviceId()).not.toBe(first)
  })
})

describe('deviceIdSource', () => {
  it('creates the id once, stores it, and hands the stored one to the next reader', async () => {
    const storage = createMemoryStorage()
    const random = vi.fn((bytes: Uint8Array) => bytes.fill(1))
    const first = deviceIdSource(storage, random)
    expect(await first()).toBe('b'.repeat(26))
    expect(await first()).toBe('b'.repeat(26))
    expect(await storage.get(DEVICE_ID_STORAGE_KEY)).toBe('b'.repeat(26))
    expect(await deviceIdSource(storage, (bytes) => bytes.fill(2))()).toBe('b'.repeat(26))
    expect(random).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['a short id', 'abc'],
    ['upper case', DEVICE.toUpperCase()],
    ['a digit outside base32', `${DEVICE.slice(0, 25)}1`],
    ['a number', 42],
  ])('replaces a stored value that is not a device id (%s)', async (_label, value) => {
    const storage = createMemoryStorage()
    await storage.set(DEVICE_ID_STORAGE_KEY, value)
    expect(await deviceIdSource(storage, (bytes) => bytes.fill(3))()).toBe('d'.repeat(26))
    expect(await storage.get(DEVICE_ID_STORAGE_KEY)).toBe('d'.repeat(26))
  })
  /** One storage two fresh tabs share: reads take 1 ms, writes 5 ms. */
  function sharedSlowStorage(inner: LicenseStorage): LicenseStorage {
    const after = <T>(ms: number, then: () => Promise<T>) =>
      new Promise<void>((resolve) => setTimeout(resolve, ms)).then(then)
    return {
      get: (key) => after(1, () => inner.get(key)),
      set: (key, value) => after(5, () => inner.set(key, value)),
      del: (key) => after(5, () => inner.del(key)),
    }
  }

  it('gives two fresh tabs one id under Web Locks when the second looks before the first has stored', async () => {
    const shared = createMemoryStorage()
    const storage = sharedSlowStorage(shared)
    const locks = new FakeLocks()
    let calls = 0
    const random = (bytes: Uint8Array) => bytes.fill(++calls)
    const tabA = deviceIdSource(storage, random, locks)
    const tabB = deviceIdSource(storage, random, locks)
    const a = tabA()
    await vi.advanceTimersByTimeAsync(3)
    const b = tabB()
    await vi.advanceTimersByTimeAsync(100)
    expect(await b).toBe(await a)
    expect(await shared.get(DEVICE_ID_STORAGE_KEY)).toBe(await a)
    expect(calls).toBe(1)
  })

  it('reads a stored id without taking the lock', async () => {
    const storage = createMemoryStorage()
    await storage.set(DEVICE_ID_STORAGE_KEY, DEVICE)
    const locks = new FakeLocks()
    const request = vi.spyOn(locks, 'request')
    expect(await deviceIdSource(storage, undefined, locks)()).toBe(DEVICE)
    expect(request).not.toHaveBeenCalled()
  })
})

describe("binding: 'device' in the client", () => {
  it('refuses device binding in installation mode, and an unknown binding', () => {
    for (const options of [
      { binding: deviceBinding(), mode: 'installation' },
      { binding: 'browser' },
      // The string of the proxy's option: the client's device binding is `deviceBinding()`.
      { binding: 'device' },
    ] as const) {
      expect(() => createLicenseClient({ endpoint: ENDPOINT, ...(options as object) })).toThrow(
        expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
      )
    }
  })

  it('sends {key, device} on every action, with one id kept in IndexedDB', async () => {
    const c = await started()
    await c.activate(KEY)
    const device = await storedDevice()
    expect(device).toMatch(DEVICE_ID)
    await c.refresh()
    suite.h.proxy.reply(() => granted(null))
    expect((await c.deactivate()).outcome).toBe('freed')
    expect(suite.h.proxy.calls.map(({ action, body }) => ({ action, body }))).toEqual([
      { action: 'activate', body: { key: KEY, device } },
      { action: 'validate', body: { key: KEY, device } },
      { action: 'deactivate', body: { key: KEY, device } },
    ])
  })

  it("creates the id under the client's Web Locks (the locks option)", async () => {
    const locks = new FakeLocks()
    const request = vi.spyOn(locks, 'request')
    const c = await started({ locks })
    await c.activate(KEY)
    expect(request.mock.calls.map(([name]) => name)).toContain(DEVICE_ID_LOCK)
    expect(suite.h.proxy.calls[0]?.body.device).toBe(await storedDevice())
  })

  it('keeps the id when the key is removed, and uses it again for the next key', async () => {
    await set(DEVICE_ID_STORAGE_KEY, DEVICE, store())
    await writeRecord(activeRecord(DAY))
    const c = await started()
    suite.h.proxy.reply(() => granted(null))
    await c.deactivate()
    expect(await readRecord()).toBeUndefined()
    expect(await storedDevice()).toBe(DEVICE)
    suite.h.proxy.reply(() => granted())
    await c.activate(OTHER_KEY)
    expect(suite.h.proxy.calls.at(-1)?.body).toEqual({ key: OTHER_KEY, device: DEVICE })
  })

  it('is shared by tabs and survives a reload', async () => {
    const first = await started()
    await first.activate(KEY)
    first.stop()
    const reloaded = await started()
    const other = await started()
    await reloaded.refresh()
    await other.activate(OTHER_KEY)
    const devices = new Set(suite.h.proxy.calls.map((call) => call.body.device))
    expect(devices.size).toBe(1)
    expect([...devices][0]).toBe(await storedDevice())
  })

  it('sends the device with a queued deactivation once the proxy is back', async () => {
    await set(DEVICE_ID_STORAGE_KEY, DEVICE, store())
    await writeRecord(activeRecord(DAY))
    const c = await started()
    suite.h.proxy.reply(() => 'network-error')
    expect((await c.deactivate()).outcome).toBe('queued')
    suite.h.proxy.reply(() =>
      json(200, { ok: true, license: null, checkedAt: new Date().toISOString() }),
    )
    suite.h.online.fire()
    await settle()
    expect(suite.h.proxy.calls.at(-1)).toMatchObject({
      action: 'deactivate',
      body: { key: KEY, device: DEVICE },
    })
    expect(c.getSnapshot().pendingDeactivations).toBe(0)
  })

  it("under binding 'site' (the default) sends no device and stores none", async () => {
    const c = await started({ binding: undefined })
    await c.activate(KEY)
    suite.h.proxy.reply(() => refused(404, 'not_activated'))
    expect((await c.deactivate()).outcome).toBe('not_held')
    expect(suite.h.proxy.calls.map((call) => call.body)).toEqual([{ key: KEY }, { key: KEY }])
    expect(await storedDevice()).toBeUndefined()
  })
})
