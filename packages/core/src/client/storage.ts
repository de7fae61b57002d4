import { createStore, del, get, set, type UseStore } from 'idb-keyval'

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
    get: (key) => get(key, resolve()),
    set: (key, value) => set(key, value, resolve()),
    del: (key) => del(key, resolve()),
  }
}

/** IndexedDB when the runtime has it, memory otherwise (SSR, Node). */
export function defaultLicenseStorage(): LicenseStorage {
  return typeof indexedDB === 'undefined' ? createMemoryStorage() : createIdbStorage()
}
