// @vitest-environment happy-dom
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { FallbackStorage } from './fallback-storage.js'
import { createIdbStorage, createMemoryStorage, defaultLicenseStorage } from './storage.js'

describe('storage', () => {
  it('idb storage opens its database lazily and round-trips values', async () => {
    const factory = new IDBFactory()
    const open = vi.spyOn(factory, 'open')
    globalThis.indexedDB = factory
    const storage = createIdbStorage()
    expect(open).not.toHaveBeenCalled()
    await storage.set('k', { v: 1 })
    expect(open).toHaveBeenCalledWith('licensekit')
    expect(await storage.get('k')).toEqual({ v: 1 })
    await storage.del('k')
    expect(await storage.get('k')).toBeUndefined()
  })

  it('defaults to memory where there is no IndexedDB', async () => {
    const saved = globalThis.indexedDB
    // @ts-expect-error simulating a runtime without IndexedDB
    delete globalThis.indexedDB
    try {
      const storage = defaultLicenseStorage()
      await storage.set('k', 1)
      expect(await storage.get('k')).toBe(1)
    } finally {
      globalThis.indexedDB = saved
    }
  })

  it('FallbackStorage keeps working from memory after a failure and reports it once', async () => {
    const errors: unknown[] = []
    let fail = false
    const primary = createMemoryStorage()
    const flaky = {
      get: (key: string) => (fail ? Promise.reject(new Error('gone')) : primary.get(key)),
      set: (key: string, value: unknown) =>
        fail ? Promise.reject(new Error('quota')) : primary.set(key, value),
      del: (key: string) => (fail ? Promise.reject(new Error('gone')) : primary.del(key)),
    }
    const storage = new FallbackStorage(flaky, (error) => errors.push(error))
    await storage.set('k', 'first')
    fail = true
    expect(await storage.get('k')).toBe('first')
    expect(storage.degraded).toBe(true)
    await storage.set('k', 'second')
    expect(await storage.get('k')).toBe('second')
    await storage.del('k')
    expect(await storage.get('k')).toBeUndefined()
    expect(errors).toHaveLength(1)
  })
})
