import type { Agent } from 'node:http'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { IdleSockets, SWEEP_MS } from './idle-sockets.js'

class FakeSocket {
  destroyed = false
  destroy() {
    this.destroyed = true
  }
}

/** An agent with two pools of free sockets; `inUse` sockets are in no free list. */
function agentWith(free: FakeSocket[], other: FakeSocket[] = []) {
  const agent = { freeSockets: { 'a:80:': free, 'b:80:': other } }
  return agent as unknown as Pick<Agent, 'freeSockets'>
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
})
afterEach(() => {
  vi.useRealTimers()
})

const sweeps = (count: number) => vi.advanceTimersByTime(count * SWEEP_MS)

describe('IdleSockets', () => {
  it('closes a free socket within idleMs of its last answer, never before idleMs minus a sweep', () => {
    const socket = new FakeSocket()
    const idle = new IdleSockets([agentWith([socket])], 4000)
    idle.answered(socket, undefined)
    sweeps(3)
    expect(socket.destroyed).toBe(false)
    sweeps(1)
    expect(socket.destroyed).toBe(true)
  })

  it('counts from the last answer: a reused socket stays open', () => {
    const socket = new FakeSocket()
    const idle = new IdleSockets([agentWith([socket])], 4000)
    idle.answered(socket, undefined)
    sweeps(3)
    idle.answered(socket, undefined)
    sweeps(3)
    expect(socket.destroyed).toBe(false)
    sweeps(1)
    expect(socket.destroyed).toBe(true)
  })

  it.each<[string | undefined, number]>([
    ['timeout=2', 1],
    ['timeout=3', 2],
    ['timeout=4, max=100', 3],
    ['timeout=5', 4],
    ['timeout=30', 4],
    ['max=5', 4],
    [undefined, 4],
  ])('with Keep-Alive %s closes after %i sweeps', (keepAlive, expected) => {
    const socket = new FakeSocket()
    const idle = new IdleSockets([agentWith([socket])], 4000)
    idle.answered(socket, keepAlive)
    sweeps(expected - 1)
    expect(socket.destroyed).toBe(false)
    sweeps(1)
    expect(socket.destroyed).toBe(true)
  })

  it('remembers the limit of each socket, not of the last header seen', () => {
    const short = new FakeSocket()
    const long = new FakeSocket()
    const idle = new IdleSockets([agentWith([short, long])], 4000)
    idle.answered(short, 'timeout=2')
    idle.answered(long, 'timeout=30')
    sweeps(1)
    expect([short.destroyed, long.destroyed]).toEqual([true, false])
    sweeps(3)
    expect(long.destroyed).toBe(true)
  })

  it('never closes a socket in use, and looks at every pool of every agent', () => {
    const inUse = new FakeSocket()
    const free = new FakeSocket()
    const elsewhere = new FakeSocket()
    const idle = new IdleSockets([agentWith([]), agentWith([free], [elsewhere])], 4000)
    for (const socket of [inUse, free, elsewhere]) idle.answered(socket, undefined)
    sweeps(10)
    expect([inUse.destroyed, free.destroyed, elsewhere.destroyed]).toEqual([false, true, true])
  })

  it('runs one timer while sockets are free and stops when none is left', () => {
    const first = new FakeSocket()
    const pool = [first]
    const idle = new IdleSockets([agentWith(pool)], 4000)
    expect(vi.getTimerCount()).toBe(0)
    idle.answered(first, undefined)
    idle.answered(first, undefined)
    expect(vi.getTimerCount()).toBe(1)
    sweeps(4)
    expect(first.destroyed).toBe(true)
    pool.length = 0
    sweeps(1)
    expect(vi.getTimerCount()).toBe(0)
    const second = new FakeSocket()
    pool.push(second)
    idle.answered(second, undefined)
    expect(vi.getTimerCount()).toBe(1)
    sweeps(4)
    expect(second.destroyed).toBe(true)
  })
})
