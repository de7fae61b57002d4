import { createStore, promisifyRequest, type UseStore } from 'idb-keyval'

/** Where the client keeps its record. Any async key-value store fits (idb-keyval, localForage, memory). */
export interface LicenseStorage {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown): Promise<void>
  del(key: string): Promise<void>
}

/** A store that lives as long as the page: for SSR, Node and tests. */
export function createMemoryStorage(): LicenseStorage {
  const values = new Map<string, unknown>()
  return {
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, value)
    },
    del: async (key) => {
      values.delete(key)
    },
  }
}

/**
 * IndexedDB through idb-keyval, in its own database `licensekit` / store `licenses` by default.
 * The database is opened on first use, not when the storage is created.
 */
export function createIdbStorage(store?: UseStore): LicenseStorage {
  let useStore = store
  const resolve = (): UseStore => {
    useStore ??= createStore('licensekit', 'licenses')
    return useStore
  }
  return {
    get: (key) => resolve()('readonly', (store) => promisifyRequest(store.get(key))),
    set: (key, value) =>
      resolve()('readwrite', (store) => {
        store.put(value, key)
        return promisifyRequest(store.transaction)
      }),
    del: (key) =>
      resolve()('readwrite', (store) => {
        store.delete(key)
        return promisifyRequest(store.transaction)
      }),
  }
}

/** The part of the Web Storage API the client uses (`localStorage` fits). */
export type WebStorageArea = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/**
 * Web Storage (default `localStorage`), each value as JSON under its own name. Reading it needs no
 * database to open, so a client started at module load publishes the stored record before the
 * app's first render; IndexedDB needs two round trips to the browser first (open, then read).
 * It holds what IndexedDB would (the record, the device id) and is as open to same-origin script,
 * so a record is trusted only after the same checks. A stored value that is not JSON is returned
 * as its text, which no record check accepts. The area is looked up on each call, so creating the
 * storage where there is none (SSR) does not throw.
 */
export function createWebStorage(area?: WebStorageArea): LicenseStorage {
  const resolve = (): WebStorageArea => area ?? globalThis.localStorage
  return {
    get: async (key) => {
      const text = resolve().getItem(key)
      if (text === null) return undefined
      try {
        return JSON.parse(text)
      } catch {
        return text
      }
    },
    set: async (key, value) => resolve().setItem(key, JSON.stringify(value)),
    del: async (key) => resolve().removeItem(key),
  }
}

/** IndexedDB when the runtime has it, memory otherwise (SSR, Node). */
export function defaultLicenseStorage(): LicenseStorage {
  return typeof indexedDB === 'undefined' ? createMemoryStorage() : createIdbStorage()
}
