import type { LockManagerLike } from '../coordinator.js'
import type { OnlineSource } from '../online.js'
import type { VisibilitySource } from '../visibility.js'

/** Lets pending IndexedDB work (which runs on real `setImmediate`) and promise chains finish. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** A visibility source the test flips; counts listeners so leaks show. */
export class FakeVisibility implements VisibilitySource {
  visible = true
  readonly listeners = new Set<() => void>()
  added = 0
  removed = 0

  isVisible(): boolean {
    return this.visible
  }

  subscribe(listener: () => void): () => void {
    this.added++
    this.listeners.add(listener)
    return () => {
      this.removed++
      this.listeners.delete(listener)
    }
  }

  set(visible: boolean): void {
    this.visible = visible
    for (const listener of [...this.listeners]) listener()
  }
}

export class FakeOnline implements OnlineSource {
  readonly listeners = new Set<() => void>()
  added = 0
  removed = 0

  subscribe(listener: () => void): () => void {
    this.added++
    this.listeners.add(listener)
    return () => {
      this.removed++
      this.listeners.delete(listener)
    }
  }

  fire(): void {
    for (const listener of [...this.listeners]) listener()
  }
}

interface Waiter {
  callback: () => Promise<void>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/** Web Locks for one name at a time, exclusive, FIFO, with `signal` support (Node 20 has none). */
export class FakeLocks implements LockManagerLike {
  readonly #held = new Set<string>()
  readonly #queues = new Map<string, Waiter[]>()

  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { callback, resolve, reject }
      const queue = this.#queues.get(name) ?? []
      this.#queues.set(name, queue)
      queue.push(waiter)
      options.signal?.addEventListener('abort', () => {
        const index = queue.indexOf(waiter)
        if (index >= 0) {
          queue.splice(index, 1)
          reject(new DOMException('Aborted', 'AbortError'))
        }
      })
      this.#next(name)
    })
  }

  holder(name: string): boolean {
    return this.#held.has(name)
  }

  #next(name: string): void {
    if (this.#held.has(name)) return
    const waiter = this.#queues.get(name)?.shift()
    if (waiter === undefined) return
    this.#held.add(name)
    waiter
      .callback()
      .then(waiter.resolve, waiter.reject)
      .finally(() => {
        this.#held.delete(name)
        this.#next(name)
      })
  }
}
