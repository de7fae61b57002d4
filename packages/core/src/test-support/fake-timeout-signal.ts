import { vi } from 'vitest'

/**
 * Makes `AbortSignal.timeout(ms)` abort on the (possibly faked) global `setTimeout`, so a test
 * with fake timers decides when a request deadline passes. Returns the delays asked for.
 * Undo with `vi.restoreAllMocks()`.
 */
export function fakeTimeoutSignals(): number[] {
  const delays: number[] = []
  vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
    delays.push(ms)
    const controller = new AbortController()
    setTimeout(
      () => controller.abort(new DOMException('The request timed out', 'TimeoutError')),
      ms,
    )
    return controller.signal
  })
  return delays
}
