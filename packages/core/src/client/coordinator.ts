/** The part of the Web Locks API the client uses (`navigator.locks` fits). */
export interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<unknown>
}

/** The part of `BroadcastChannel` the client uses. */
export interface ChannelLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void
  close(): void
}

export type ChannelFactory = (name: string) => ChannelLike

export interface CoordinatorOptions {
  name: string
  /** `null`: no Web Locks, this tab leads alone. */
  locks: LockManagerLike | null
  /** `null`: no channel, nothing is shared. */
  channel: ChannelFactory | null
  /** This tab got the lock (or leads alone); it leads until `stop()`. */
  onLead: () => void
  onMessage: (data: unknown) => void
  onError: (error: unknown) => void
}

export function defaultLocks(): LockManagerLike | null {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks
  return locks && typeof locks.request === 'function' ? (locks as LockManagerLike) : null
}

export function defaultChannel(): ChannelFactory | null {
  return typeof globalThis.BroadcastChannel === 'function'
    ? (name) => new BroadcastChannel(name)
    : null
}

/**
 * Elects one tab per record as the heartbeat leader (it holds the Web Lock `name` until it stops
 * or closes, then the next waiting tab gets it) and carries messages between tabs over a
 * BroadcastChannel. Without Web Locks every tab leads itself; without a channel nothing is sent.
 */
export class TabCoordinator {
  readonly #options: CoordinatorOptions
  #channel: ChannelLike | null = null
  /** Set while running; aborting it gives up the lock, held or awaited. */
  #abort: AbortController | undefined

  constructor(options: CoordinatorOptions) {
    this.#options = options
  }

  start(): void {
    if (this.#abort) return
    this.#abort = new AbortController()
    const { signal } = this.#abort
    this.#openChannel()
    const { locks } = this.#options
    if (locks === null) {
      this.#options.onLead()
      return
    }
    locks
      .request(this.#options.name, { signal }, async () => {
        if (signal.aborted) return
        this.#options.onLead()
        await new Promise((resolve) => signal.addEventListener('abort', resolve))
      })
      .catch((error: unknown) => {
        if (!signal.aborted) this.#options.onError(error)
      })
  }

  stop(): void {
    if (!this.#abort) return
    this.#abort.abort()
    this.#abort = undefined
    if (this.#channel !== null) {
      this.#channel.removeEventListener('message', this.#onMessage)
      this.#channel.close()
      this.#channel = null
    }
  }

  /** Sends `data` to the other tabs (never to this one). */
  broadcast(data: unknown): void {
    if (this.#channel === null) return
    try {
      this.#channel.postMessage(data)
    } catch (error) {
      this.#options.onError(error)
    }
  }

  #openChannel(): void {
    if (this.#options.channel === null) return
    try {
      this.#channel = this.#options.channel(this.#options.name)
      this.#channel.addEventListener('message', this.#onMessage)
    } catch (error) {
      this.#channel = null
      this.#options.onError(error)
    }
  }

  readonly #onMessage = (event: MessageEvent): void => {
    if (this.#abort) this.#options.onMessage(event.data)
  }
}
