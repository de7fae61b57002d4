// @vitest-environment happy-dom
import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it, vi } from 'vitest'
import { FallbackStorage } from './fallback-storage.js'
import {
  createIdbStorage,
  createMemoryStorage,
  createWebStorage,
  defaultLicenseStorage,
} from './storage.js'

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
    expect(errors).toHaveLength(1)
    await storage.set('k', 'second')
    expect(await storage.get('k')).toBe('second')
    await storage.del('k')
    expect(await storage.get('k')).toBeUndefined()
    expect(errors).toHaveLength(1)
    // Memory alone from then on, even once the primary would work again.
    fail = false
    await storage.set('k', 'third')
    expect(await primary.get('k')).toBe('first')
    expect(await storage.get('k')).toBe('third')
  })

  it('web storage keeps each value as JSON under its own name in localStorage', async () => {
    localStorage.clear()
    const storage = createWebStorage()
    expect(await storage.get('k')).toBeUndefined()
    await storage.set('k', { v: 1, list: ['a'] })
    expect(localStorage.getItem('k')).toBe('{"v":1,"list":["a"]}')
    expect(await storage.get('k')).toEqual({ v: 1, list: ['a'] })
    await storage.del('k')
    expect(localStorage.getItem('k')).toBeNull()
    expect(await storage.get('k')).toBeUndefined()
  })

  it('web storage uses the area it is given and returns text that is not JSON as text', async () => {
    const values = new Map<string, string>([['k', 'not json']])
    const area = {
      getItem: (key: string) => values.get(key) ?? null,
      setItem: (key: string, value: string) => void values.set(key, value),
      removeItem: (key: string) => void values.delete(key),
    }
    const storage = createWebStorage(area)
    expect(await storage.get('k')).toBe('not json')
    await storage.set('n', 2)
    expect(values.get('n')).toBe('2')
  })

  it('web storage can be created where there is none; its calls then fail, and FallbackStorage carries on', async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'localStorage')
    Object.defineProperty(globalThis, 'localStorage', { configurable: true, value: undefined })
    try {
      const errors: unknown[] = []
      const storage = new FallbackStorage(createWebStorage(), (error) => errors.push(error))
      await storage.set('k', 1)
      expect(await storage.get('k')).toBe(1)
      // The failed set marked the web storage failed: the get did not try (and fail) again.
      expect(errors).toHaveLength(1)
    } finally {
      if (saved) Object.defineProperty(globalThis, 'localStorage', saved)
    }
  })

  it('web storage rejects (not throws) when the area refuses, e.g. over quota', async () => {
    const area = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError')
      },
      removeItem: () => {},
    }
    await expect(createWebStorage(area).set('k', 1)).rejects.toThrow('full')
  })

  it('web storage reports the storage events of its own area, with their key, until unsubscribed', () => {
    const area = { getItem: () => null, setItem: () => {}, removeItem: () => {} }
    const storage = createWebStorage(area)
    const keys: (string | null)[] = []
    const unsubscribe = storage.subscribe?.((key) => keys.push(key))
    const changed = (storageArea: unknown, key: string | null) =>
      window.dispatchEvent(Object.assign(new Event('storage'), { key, storageArea }))
    changed(area, 'k')
    changed(localStorage, 'other area')
    changed(area, null)
    unsubscribe?.()
    changed(area, 'after')
    expect(keys).toEqual(['k', null])
  })

  it('web storage follows localStorage by default, and subscribing without a window is a no-op', () => {
    const storage = createWebStorage()
    const keys: (string | null)[] = []
    const unsubscribe = storage.subscribe?.((key) => keys.push(key))
    window.dispatchEvent(
      Object.assign(new Event('storage'), { key: 'k', storageArea: localStorage }),
    )
    unsubscribe?.()
    expect(keys).toEqual(['k'])
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'window')
    Object.defineProperty(globalThis, 'window', { configurable: true, value: undefined })
    try {
      const stop = createWebStorage().subscribe?.(() => {})
      expect(stop).toBeTypeOf('function')
      stop?.()
    } finally {
      if (saved) Object.defineProperty(globalThis, 'window', saved)
    }
  })

  it('FallbackStorage passes on the change events of its primary storage, and has none without them', () => {
    const keys: (string | null)[] = []
    let notify: (key: string | null) => void = () => {}
    const primary = {
      ...createMemoryStorage(),
      subscribe: (listener: (key: string | null) => void) => {
        notify = listener
        return () => {}
      },
    }
    new FallbackStorage(primary, () => {}).subscribe?.((key) => keys.push(key))
    notify('k')
    expect(keys).toEqual(['k'])
    expect(new FallbackStorage(createMemoryStorage(), () => {}).subscribe).toBeUndefined()
  })
})
