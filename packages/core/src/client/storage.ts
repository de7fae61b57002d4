import { createStore, promisifyRequest, type UseStore } from 'idb-keyval'

/** Where the client keeps its record. Any async key-value store fits (idb-keyval, localForage, memory). */
export interface LicenseStorage {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown): Promise<void>
  del(key: string): Promise<void>
  /**
   * Optional: calls `listener` when another tab changed the value under a key (`null`: any key
   * may have changed); returns the unsubscribe. Only a storage whose writes can reach other
   * tabs after a BroadcastChannel message does needs it (Web Storage); the client then reads
   * again a record that another tab's message said had changed.
   */
  subscribe?(listener: (key: string | null) => void): () => void
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
export function createIdbStorage(useStore?: UseStore): LicenseStorage {
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
 * storage where there is none (SSR) does not throw. Browsers hand another tab's write to this
 * tab later, sometimes after that tab's BroadcastChannel message: `subscribe` follows the
 * window's `storage` events for the area, so the client reads again once the change is here.
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
    subscribe: (listener) => {
      const target = globalThis.window
      if (target === undefined) return () => {}
      const onStorage = (event: StorageEvent) => {
        if (event.storageArea === resolve()) listener(event.key)
      }
      target.addEventListener('storage', onStorage)
      return () => target.removeEventListener('storage', onStorage)
    },
  }
}

/** IndexedDB when the runtime has it, memory otherwise (SSR, Node). */
export function defaultLicenseStorage(): LicenseStorage {
  return typeof indexedDB === 'undefined' ? createMemoryStorage() : createIdbStorage()
}
