/// <reference types="node" />
/**
 * Closing the upstream agents' idle keep-alive sockets with one sweep instead of a socket timer:
 * an agent's `timeout` arms a timer on every socket it frees and the proxy disarmed it on every
 * reuse, two timer operations a request for a socket that is almost never idle long.
 */
import type { Agent } from 'node:http'

/** How often the sweep looks at the free sockets, in ms. */
export const SWEEP_MS = 1000

const SERVER_TIMEOUT = /^timeout=(\d+)/

/** The parts of an agent the sweep reads: its free sockets, by pool. */
type FreeSockets = Pick<Agent, 'freeSockets'>

/**
 * Closes the free sockets of `agents` once idle for `idleMs`, or for a second less than the
 * server's `Keep-Alive: timeout` when that is shorter (as `node:http` does with an agent
 * `timeout`). One unref'd interval ticks every {@link SWEEP_MS} while any socket is free; a
 * socket's idle time is counted in ticks from its last answer, so it is closed up to one tick
 * early, never late. Sockets in use are never touched (a request has its own deadline).
 */
export class IdleSockets {
  readonly #agents: readonly FreeSockets[]
  readonly #idleMs: number
  readonly #closeAt = new WeakMap<object, number>()
  #tick = 0
  #timer: ReturnType<typeof setInterval> | undefined
  #lastHint: string | undefined
  #lastTicks: number

  constructor(agents: readonly FreeSockets[], idleMs: number) {
    this.#agents = agents
    this.#idleMs = idleMs
    this.#lastTicks = this.#ticksFor(undefined)
  }

  /**
   * `socket` got an answer with this `Keep-Alive` header: from now on it may be idle for the
   * allowed time (it goes back to its agent's free list when the answer has been read).
   */
  answered(socket: object, keepAlive: string | undefined): void {
    if (keepAlive !== this.#lastHint) {
      this.#lastHint = keepAlive
      this.#lastTicks = this.#ticksFor(keepAlive)
    }
    this.#closeAt.set(socket, this.#tick + this.#lastTicks)
    this.#timer ??= setInterval(() => this.#sweep(), SWEEP_MS).unref()
  }

  #ticksFor(keepAlive: string | undefined): number {
    const seconds = keepAlive === undefined ? null : SERVER_TIMEOUT.exec(keepAlive)?.[1]
    const serverMs = seconds ? Number(seconds) * 1000 - 1000 : Number.POSITIVE_INFINITY
    return Math.max(1, Math.floor(Math.min(this.#idleMs, serverMs) / SWEEP_MS))
  }

  #sweep(): void {
    this.#tick++
    let free = 0
    for (const agent of this.#agents) {
      for (const pool of Object.values(agent.freeSockets)) {
        for (const socket of pool ?? []) {
          if ((this.#closeAt.get(socket) ?? 0) <= this.#tick) socket.destroy()
          else free++
        }
      }
    }
    if (free === 0) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }
}
