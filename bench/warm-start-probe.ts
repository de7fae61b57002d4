// Bench-only instrumentation for `bench:warm-start` (BENCH_PHASES=1): an init script that wraps
// the platform calls a warm start makes (IndexedDB open and transactions, WebCrypto key import,
// digest and verify, Web Locks, BroadcastChannel) and stamps `performance.now()` when each is
// called and when it settles. Nothing of it ships: the demo and the client run unchanged, and the
// wrappers only observe (they return the platform's own results). `PhaseProbe` is what the page
// collects; `summarisePhases` turns many reloads into medians.

/** One observed call: what it was, when it was made and when it settled (ms from navigation). */
export interface ProbeEvent {
  name: string
  start: number
  end: number | null
}

declare global {
  interface Window {
    __probe?: ProbeEvent[]
  }
}

/** Runs in the page before any of its scripts (a Playwright init script; no imports allowed). */
export function installPhaseProbe(): void {
  const events: ProbeEvent[] = []
  window.__probe = events
  const begin = (name: string): ProbeEvent => {
    const event: ProbeEvent = { name, start: performance.now(), end: null }
    events.push(event)
    return event
  }
  const settle = (event: ProbeEvent) => () => {
    event.end ??= performance.now()
  }
  const open = IDBFactory.prototype.open
  IDBFactory.prototype.open = function (this: IDBFactory, ...args: [string, number?]) {
    const event = begin(`idb open ${args[0]}`)
    const request = open.apply(this, args)
    request.addEventListener('success', settle(event))
    request.addEventListener('error', settle(event))
    return request
  }
  const transaction = IDBDatabase.prototype.transaction
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase['transaction']>
  ) {
    const tx = transaction.apply(this, args)
    const event = begin(`idb ${args[1] ?? 'readonly'} transaction`)
    const store = tx.objectStore.bind(tx)
    tx.objectStore = (name: string) => {
      const objectStore = store(name)
      const get = objectStore.get.bind(objectStore)
      objectStore.get = (query: IDBValidKey | IDBKeyRange) => {
        event.name = `idb get ${String(query)}`
        const request = get(query)
        request.addEventListener('success', settle(event))
        return request
      }
      const put = objectStore.put.bind(objectStore)
      objectStore.put = (value: unknown, key?: IDBValidKey) => {
        event.name = `idb put ${String(key)}`
        return put(value, key)
      }
      return objectStore
    }
    tx.addEventListener('complete', settle(event))
    tx.addEventListener('abort', settle(event))
    return tx
  }
  const subtle = globalThis.crypto.subtle
  for (const method of ['importKey', 'digest', 'verify'] as const) {
    const original = subtle[method].bind(subtle) as (...args: unknown[]) => Promise<unknown>
    Object.defineProperty(subtle, method, {
      configurable: true,
      value: (...args: unknown[]) => {
        const event = begin(`crypto ${method}`)
        const result = original(...args)
        result.then(settle(event), settle(event))
        return result
      },
    })
  }
  const locks = navigator.locks
  const request = locks.request.bind(locks) as (...args: unknown[]) => Promise<unknown>
  Object.defineProperty(locks, 'request', {
    configurable: true,
    value: (...args: unknown[]) => {
      const event = begin('lock request (until granted)')
      const callback = args[args.length - 1] as (lock: unknown) => unknown
      args[args.length - 1] = (lock: unknown) => {
        settle(event)()
        return callback(lock)
      }
      return request(...args)
    },
  })
  const Channel = BroadcastChannel
  globalThis.BroadcastChannel = class extends Channel {
    constructor(name: string) {
      super(name)
      const event = begin('BroadcastChannel created')
      event.end = event.start
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/**
 * Prints, for every call name seen in at least half of the reloads, the median start and end of
 * its first occurrence (ms from navigation) and the median duration, sorted by start.
 */
export function printPhases(reloads: readonly ProbeEvent[][]): void {
  const byName = new Map<string, { starts: number[]; ends: number[]; durations: number[] }>()
  for (const events of reloads) {
    const seen = new Set<string>()
    for (const event of events) {
      const key = seen.has(event.name) ? `${event.name} (again)` : event.name
      if (seen.has(key)) continue
      seen.add(key)
      const entry = byName.get(key) ?? { starts: [], ends: [], durations: [] }
      entry.starts.push(event.start)
      if (event.end !== null) {
        entry.ends.push(event.end)
        entry.durations.push(event.end - event.start)
      }
      byName.set(key, entry)
    }
  }
  const rows = [...byName.entries()]
    .filter(([, entry]) => entry.starts.length * 2 >= reloads.length)
    .sort((a, b) => median(a[1].starts) - median(b[1].starts))
  const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`
  console.log(`\nphases (median over ${reloads.length} reloads, ms from navigation)`)
  console.log(`${'call'.padEnd(34)}     start        end   duration   reloads`)
  for (const [name, entry] of rows) {
    console.log(
      `${name.padEnd(34)} ${ms(median(entry.starts))} ${ms(median(entry.ends))} ${ms(median(entry.durations))}   ${entry.starts.length}`,
    )
  }
}
