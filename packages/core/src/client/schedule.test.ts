import { describe, expect, it, vi } from 'vitest'
import { DueTimer } from './due-timer.js'
import { backoffDelay, heartbeatDelay, MAX_BACKOFF_MS, MAX_TIMEOUT_MS } from './schedule.js'
import { FakeVisibility } from './test-support/fakes.js'

describe('heartbeatDelay', () => {
  it('is interval − age with ±10 % jitter, never negative', () => {
    expect(heartbeatDelay(1000, 400, () => 0.5)).toBe(600)
    expect(heartbeatDelay(1000, 400, () => 0)).toBeCloseTo(540)
    expect(heartbeatDelay(1000, 400, () => 0.999_999)).toBeCloseTo(660, 2)
    expect(heartbeatDelay(1000, 5000, () => 0)).toBe(0)
  })
})

describe('backoffDelay', () => {
  it('doubles from 30 s and caps at 1 hour', () => {
    const half = () => 0.5
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, undefined, half))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ])
    expect(backoffDelay(50, undefined, half)).toBe(MAX_BACKOFF_MS)
    expect(backoffDelay(1, undefined, () => 0)).toBe(27_000)
    expect(backoffDelay(1, undefined, () => 0.999_999)).toBeCloseTo(33_000, 0)
  })

  it('waits at least Retry-After, but never more than 1 hour', () => {
    expect(backoffDelay(1, 300, () => 0.5)).toBe(300_000)
    expect(backoffDelay(1, 10, () => 0.5)).toBe(30_000)
    expect(backoffDelay(1, 86_400, () => 0.5)).toBe(MAX_BACKOFF_MS)
  })
})

describe('DueTimer', () => {
  function timer(visibility = new FakeVisibility()) {
    const onDue = vi.fn()
    const due = new DueTimer(Date.now, visibility, onDue)
    return { due, onDue, visibility }
  }

  it('fires once at the due time through a chain of clamped timeouts', () => {
    vi.useFakeTimers({ now: 0 })
    try {
      const spy = vi.spyOn(globalThis, 'setTimeout')
      const { due, onDue } = timer()
      due.start()
      due.setArmed(true)
      due.schedule(3 * MAX_TIMEOUT_MS)
      vi.advanceTimersByTime(3 * MAX_TIMEOUT_MS - 1)
      expect(onDue).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      expect(onDue).toHaveBeenCalledTimes(1)
      vi.advanceTimersByTime(10 * MAX_TIMEOUT_MS)
      expect(onDue).toHaveBeenCalledTimes(1)
      expect(spy.mock.calls.every(([, delay]) => (delay ?? 0) <= MAX_TIMEOUT_MS)).toBe(true)
      expect(spy.mock.calls.length).toBeGreaterThanOrEqual(3)
      due.stop()
    } finally {
      vi.useRealTimers()
    }
  })

  it('runs no timer when unarmed or hidden; fires on visible when due, throttled', () => {
    vi.useFakeTimers({ now: 0 })
    try {
      const { due, onDue, visibility } = timer()
      due.start()
      due.schedule(1000)
      expect(vi.getTimerCount()).toBe(0)
      due.setArmed(true)
      expect(vi.getTimerCount()).toBe(1)
      visibility.set(false)
      expect(vi.getTimerCount()).toBe(0)
      vi.advanceTimersByTime(5000)
      expect(onDue).not.toHaveBeenCalled()
      visibility.set(true)
      expect(onDue).toHaveBeenCalledTimes(1)
      due.schedule(0)
      visibility.set(false)
      visibility.set(true)
      expect(onDue).toHaveBeenCalledTimes(1)
      expect(vi.getTimerCount()).toBe(1)
      vi.advanceTimersByTime(0)
      expect(onDue).toHaveBeenCalledTimes(2)
      due.setArmed(false)
      due.schedule(1000)
      vi.advanceTimersByTime(70_000)
      visibility.set(false)
      visibility.set(true)
      expect(onDue).toHaveBeenCalledTimes(3)
      due.stop()
      expect(vi.getTimerCount()).toBe(0)
      expect(visibility.listeners.size).toBe(0)
      expect(due.dueAt).toBeNull()
      due.start()
      due.schedule(Date.now() + 1000)
      expect(vi.getTimerCount()).toBe(0)
      due.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
