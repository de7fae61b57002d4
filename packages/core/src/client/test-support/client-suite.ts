import { afterEach, beforeEach, vi } from 'vitest'
import type { LicenseClientOptions } from '../options.js'
import type { GatingClient, LicenseClient } from '../types.js'
import { settle } from './fakes.js'
import { freshIndexedDb, type Harness, harness, useClock } from './harness.js'

export interface ClientSuite {
  /** This test's harness (a new one for every test). */
  readonly h: Harness
  /** A client of this test's harness, started and settled; stopped after the test. */
  started(options?: Partial<LicenseClientOptions>): Promise<LicenseClient>
  /** The same without the key commands (`createGatingClient`). */
  startedGating(options?: Partial<LicenseClientOptions>): Promise<GatingClient>
}

/**
 * Registers what a client test file needs: before each test the fixed clock, a fresh IndexedDB
 * and a new harness; after it, every client it started is stopped and real timers are back.
 */
export function clientSuite(): ClientSuite {
  let current: Harness | undefined
  const running: GatingClient[] = []
  beforeEach(() => {
    useClock()
    freshIndexedDb()
    current = harness()
  })
  afterEach(() => {
    for (const client of running.splice(0)) client.stop()
    vi.useRealTimers()
  })
  const start = async <Client extends GatingClient>(client: Client): Promise<Client> => {
    running.push(client)
    client.start()
    await settle()
    return client
  }
  const suite: ClientSuite = {
    get h() {
      if (current === undefined) throw new Error('clientSuite().h is only there inside a test')
      return current
    },
    started: (options) => start(suite.h.create(options)),
    startedGating: (options) => start(suite.h.gating(options)),
  }
  return suite
}
