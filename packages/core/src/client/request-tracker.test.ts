import { describe, expect, it } from 'vitest'
import { RequestTracker } from './request-tracker.js'

function deferred() {
  let resolve!: () => void
  let reject!: (error: Error) => void
  const promise = new Promise<void>((yes, no) => {
    resolve = yes
    reject = no
  })
  return { promise, resolve, reject }
}

describe('RequestTracker', () => {
  it('is checking from the first request start to the last request end', async () => {
    const changes: boolean[] = []
    const tracker = new RequestTracker((checking) => changes.push(checking))
    const first = deferred()
    const second = deferred()
    const a = tracker.track(() => first.promise)
    const b = tracker.track(() => second.promise)
    expect(tracker.checking).toBe(true)
    expect(changes).toEqual([true])
    first.resolve()
    await a
    expect(tracker.checking).toBe(true)
    second.resolve()
    await b
    expect(tracker.checking).toBe(false)
    expect(changes).toEqual([true, false])
  })

  it('ends checking when the request fails, and passes the failure on', async () => {
    const changes: boolean[] = []
    const tracker = new RequestTracker((checking) => changes.push(checking))
    const failing = deferred()
    const tracked = tracker.track(() => failing.promise)
    failing.reject(new Error('boom'))
    await expect(tracked).rejects.toThrow('boom')
    expect(changes).toEqual([true, false])
  })
})
