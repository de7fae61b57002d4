import type { TabCoordinator } from './coordinator.js'
import type { Heartbeat } from './heartbeat.js'

/** What a running client hears from the tab coordinator. */
export interface TabHandlers {
  /** This tab became the leader; it stays one until the period ends. */
  onLead: () => void
  onMessage: (data: unknown) => void
}

export interface LifecycleOptions {
  heartbeat: Heartbeat
  /** Creates the coordinator of one running period; it calls its handlers only while it runs. */
  tabs: () => TabCoordinator
  /**
   * A running period began: read the stored record and add the period's listeners (`online`,
   * the storage watch); returns their unsubscribes.
   */
  begin: () => (() => void)[]
}

/**
 * Counts `start()` and `stop()` calls: the client runs (heartbeat, tab coordination, the
 * `online` and storage listeners) from the first start to the matching last stop. Each running
 * period has a number, so work begun in an earlier one can tell it is stale (read `period` when
 * it begins).
 */
export class Lifecycle {
  readonly #options: LifecycleOptions
  #starts = 0
  #period = 0
  #tabs: TabCoordinator | null = null
  #unsubscribe: (() => void)[] = []

  constructor(options: LifecycleOptions) {
    this.#options = options
  }

  /** The current period; it changes at every start and stop that begins or ends one. */
  get period(): number {
    return this.#period
  }

  /** Sends `data` to the other tabs while running. */
  broadcast(data: unknown): void {
    this.#tabs?.broadcast(data)
  }

  start(): void {
    this.#starts++
    if (this.#starts > 1) return
    const options = this.#options
    this.#period++
    options.heartbeat.start()
    this.#tabs = options.tabs()
    this.#unsubscribe = options.begin()
    this.#tabs.start()
  }

  stop(): void {
    if (this.#starts === 0) return
    this.#starts--
    if (this.#starts > 0) return
    this.#period++
    this.#options.heartbeat.stop()
    this.#tabs?.stop()
    this.#tabs = null
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe()
  }
}
