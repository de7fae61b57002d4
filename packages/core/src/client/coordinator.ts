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
  onLeadershipChange: (isLeader: boolean) => void
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
  #release: (() => void) | undefined
  #abort: AbortController | undefined
  #leader = false
  #running = false

  constructor(options: CoordinatorOptions) {
    this.#options = options
  }

  get isLeader(): boolean {
    return this.#leader
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#openChannel()
    const { locks } = this.#options
    if (locks === null) {
      this.#setLeader(true)
      return
    }
    const abort = new AbortController()
    const held = new Promise<void>((resolve) => {
      this.#release = resolve
    })
    this.#abort = abort
    locks
      .request(this.#options.name, { signal: abort.signal }, async () => {
        if (abort.signal.aborted) return
        this.#setLeader(true)
        await held
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) this.#options.onError(error)
      })
  }

  stop(): void {
    if (!this.#running) return
    this.#running = false
    this.#abort?.abort()
    this.#release?.()
    this.#abort = undefined
    this.#release = undefined
    this.#leader = false
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
    if (this.#running) this.#options.onMessage(event.data)
  }

  #setLeader(leader: boolean): void {
    this.#leader = leader
    this.#options.onLeadershipChange(leader)
  }
}
