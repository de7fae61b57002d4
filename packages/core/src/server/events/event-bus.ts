/** How license events travel from the webhook receiver to the open event streams. */

/** Receives every published event: `sub` is the lowercase hex SHA-256 of the canonical key. */
export type LicenseEventListener = (sub: string, event: string) => void

/**
 * Carries `{sub, event}` pairs between proxy instances. `publish` resolves once the event is
 * handed over (a rejection makes the webhook answer 503, so the sender retries); `subscribe`
 * returns the function that removes the listener. The default lives in memory, for one
 * instance; `@licensekit/redis` shares events between any number of instances.
 */
export interface EventBus {
  publish(sub: string, event: string): Promise<void>
  subscribe(listener: LicenseEventListener): () => void
}

/** An in-process bus: every listener of this bus hears every event, synchronously. */
export function createMemoryEventBus(): EventBus {
  const listeners = new Set<LicenseEventListener>()
  return {
    async publish(sub, event) {
      for (const listener of [...listeners]) listener(sub, event)
    },
    subscribe(listener) {
      const own = (sub: string, event: string) => listener(sub, event)
      listeners.add(own)
      return () => {
        listeners.delete(own)
      }
    },
  }
}
