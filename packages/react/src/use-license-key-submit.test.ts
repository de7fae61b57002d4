import { LicenseError, type LicenseState } from '@licensekit/core'
import { act, renderHook } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { activeState } from './test-support/fake-client.js'
import { type UseLicenseKeySubmitOptions, useLicenseKeySubmit } from './use-license-key-submit.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'

/** An `activate` the test settles by hand, recording the keys it was called with. */
function deferredActivate() {
  const calls: string[] = []
  let settle: { resolve: (state: LicenseState) => void; reject: (error: unknown) => void } = {
    resolve: () => undefined,
    reject: () => undefined,
  }
  const activate = vi.fn((key: string) => {
    calls.push(key)
    return new Promise<LicenseState>((resolve, reject) => {
      settle = { resolve, reject }
    })
  })
  return { activate, calls, settle: () => settle }
}

function setup(
  activate: (key: string) => Promise<LicenseState>,
  options: UseLicenseKeySubmitOptions = {},
) {
  return renderHook(({ activate, options }) => useLicenseKeySubmit(activate, options), {
    initialProps: { activate, options },
  })
}

describe('useLicenseKeySubmit()', () => {
  it('sends the canonical key once while pending and resolves with the state', async () => {
    const deferred = deferredActivate()
    const onActivated = vi.fn()
    const { result } = setup(deferred.activate, { onActivated })
    let first: Promise<LicenseState | null> = Promise.resolve(null)
    act(() => {
      first = result.current.submit(' shop a1b2c3d4e5f6g7h8 ')
    })
    expect(result.current.isPending).toBe(true)
    expect(result.current.submit(KEY)).toBe(first)
    expect(deferred.calls).toEqual([KEY])

    await act(async () => {
      deferred.settle().resolve(activeState)
      await first
    })
    await expect(first).resolves.toBe(activeState)
    expect(result.current.isPending).toBe(false)
    expect(result.current.error).toBeNull()
    expect(onActivated).toHaveBeenCalledExactlyOnceWith(activeState, KEY, ' shop a1b2c3d4e5f6g7h8 ')
  })

  it('calls onActivated before submit() resolves', async () => {
    const order: string[] = []
    const { result } = setup(() => Promise.resolve(activeState), {
      onActivated: () => order.push('onActivated'),
    })
    await act(() => result.current.submit(KEY).then(() => order.push('resolved')))
    expect(order).toEqual(['onActivated', 'resolved'])
  })

  it('submits again once the first attempt has settled', async () => {
    const activate = vi.fn(() => Promise.reject(new LicenseError('unreachable', 'offline')))
    const { result } = setup(activate)
    await act(() => result.current.submit(KEY))
    await act(() => result.current.submit(KEY))
    expect(activate).toHaveBeenCalledTimes(2)
  })

  it('refuses a malformed key locally with invalid_key_format', async () => {
    const activate = vi.fn(() => Promise.resolve(activeState))
    const { result } = setup(activate)
    await act(async () => {
      await expect(result.current.submit('SHOP-A1B2')).resolves.toBeNull()
    })
    expect(activate).not.toHaveBeenCalled()
    expect(result.current.isPending).toBe(false)
    expect(result.current.error).toMatchObject({ name: 'LicenseError', code: 'invalid_key_format' })
  })

  it('accepts the keys of its format only', async () => {
    const activate = vi.fn(() => Promise.resolve(activeState))
    const { result, rerender } = setup(activate, { format: { prefix: 'ECO', groups: 3 } })
    await act(() => result.current.submit(KEY))
    expect(result.current.error?.code).toBe('invalid_key_format')
    await act(() => result.current.submit('eco a1b2 c3d4 e5f6'))
    expect(activate).toHaveBeenCalledExactlyOnceWith('ECO-A1B2-C3D4-E5F6')
    expect(result.current.error).toBeNull()

    rerender({ activate, options: {} })
    await act(() => result.current.submit('ECO-A1B2-C3D4-E5F6'))
    expect(result.current.error?.code).toBe('invalid_key_format')
    expect(activate).toHaveBeenCalledTimes(1)
  })

  it('keeps the LicenseError activate rejected with', async () => {
    const failure = new LicenseError('limit_reached', 'Activation limit reached')
    const { result } = setup(() => Promise.reject(failure))
    await act(async () => {
      await expect(result.current.submit(KEY)).resolves.toBeNull()
    })
    expect(result.current.error).toBe(failure)
    expect(result.current.isPending).toBe(false)
  })

  it('turns any other rejection into a LicenseError that keeps the cause', async () => {
    const bug = new TypeError('boom')
    const { result } = setup(() => Promise.reject(bug))
    await act(() => result.current.submit(KEY))
    expect(result.current.error).toBeInstanceOf(LicenseError)
    expect(result.current.error).toMatchObject({ code: 'invalid_response', message: 'boom' })
    expect(result.current.error?.cause).toBe(bug)
  })

  it('clears the error on clearError() and when a new submit starts', async () => {
    const deferred = deferredActivate()
    const { result } = setup(deferred.activate)
    await act(() => result.current.submit('nope'))
    expect(result.current.error).not.toBeNull()
    act(() => result.current.clearError())
    expect(result.current.error).toBeNull()
    await act(() => result.current.submit('nope'))
    act(() => {
      void result.current.submit(KEY)
    })
    expect(result.current.error).toBeNull()
    expect(result.current.isPending).toBe(true)
  })

  it('calls the activate of the last render, keeping submit stable', async () => {
    const first = vi.fn(() => Promise.resolve(activeState))
    const second = vi.fn(() => Promise.resolve(activeState))
    const { result, rerender } = setup(first)
    const submit = result.current.submit
    rerender({ activate: second, options: {} })
    expect(result.current.submit).toBe(submit)
    await act(() => result.current.submit(KEY))
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledExactlyOnceWith(KEY)
  })
})
