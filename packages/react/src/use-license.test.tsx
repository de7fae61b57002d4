import type { LicenseState } from '@licensekit/core'
import { act, render, renderHook, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { activeState, createFakeClient, type FakeClient } from './test-support/fake-client.js'
import { useLicense } from './use-license.js'

const LICENSE = activeState.license as NonNullable<LicenseState['license']>

function StatusProbe({ onRender }: { onRender: () => void }) {
  onRender()
  return <p data-testid="status">{useLicense((state) => state.status)}</p>
}

function WholeProbe({ onRender }: { onRender: () => void }) {
  onRender()
  return <p data-testid="checked">{useLicense().checkedAt}</p>
}

interface Seats {
  used: number | undefined
  limit: number | undefined
}

const selectSeats = (state: LicenseState): Seats => ({
  used: state.license?.activationsCount,
  limit: state.license?.activationsLimit,
})
const sameSeats = (a: Seats, b: Seats) => a.used === b.used && a.limit === b.limit

function SeatsProbe({ onRender }: { onRender: (seats: Seats) => void }) {
  const seats = useLicense(selectSeats, sameSeats)
  onRender(seats)
  return (
    <p data-testid="seats">
      {seats.used}/{seats.limit}
    </p>
  )
}

function wrapperFor(client: FakeClient) {
  return ({ children }: { children: ReactNode }) => (
    <LicenseProvider client={client}>{children}</LicenseProvider>
  )
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('useLicense()', () => {
  it('returns the snapshot, isLicensed and refresh, not the key commands', async () => {
    const client = createFakeClient()
    const { result } = renderHook(() => useLicense(), { wrapper: wrapperFor(client) })
    expect(result.current.status).toBe('loading')
    expect(result.current.isLicensed).toBe(false)

    act(() => client.set(activeState))
    expect(result.current).toMatchObject({ ...activeState, isLicensed: true })

    act(() => client.set({ status: 'grace', reason: 'unreachable' }))
    expect(result.current.isLicensed).toBe(true)
    expect(result.current.reason).toBe('unreachable')

    act(() => client.set({ status: 'denied', reason: 'revoked' }))
    expect(result.current.isLicensed).toBe(false)

    await act(() => result.current.refresh())
    expect(client.calls.refresh).toBe(1)
    expect(result.current).not.toHaveProperty('activate')
    expect(result.current).not.toHaveProperty('deactivate')
  })

  it('keeps the identity of refresh across state changes and re-renders', () => {
    const client = createFakeClient()
    const { result, rerender } = renderHook(() => useLicense(), { wrapper: wrapperFor(client) })
    const first = result.current
    act(() => client.set(activeState))
    rerender()
    expect(result.current).not.toBe(first)
    expect(result.current.refresh).toBe(first.refresh)
  })

  it('returns the same object while the snapshot is unchanged', () => {
    const client = createFakeClient(activeState)
    const { result, rerender } = renderHook(() => useLicense(), { wrapper: wrapperFor(client) })
    const first = result.current
    rerender()
    expect(result.current).toBe(first)
  })

  it('with a selector, re-renders only when the selected value changes', () => {
    const client = createFakeClient(activeState)
    const renders = { status: 0, whole: 0 }
    render(
      <LicenseProvider client={client}>
        <StatusProbe onRender={() => renders.status++} />
        <WholeProbe onRender={() => renders.whole++} />
      </LicenseProvider>,
    )
    expect(renders).toEqual({ status: 1, whole: 1 })

    act(() => client.set({ checkedAt: '2026-11-26T23:00:00.000Z', isChecking: true }))
    act(() => client.set({ checkedAt: '2026-11-26T23:05:00.000Z', isChecking: false }))
    expect(screen.getByTestId('checked').textContent).toBe('2026-11-26T23:05:00.000Z')
    expect(renders).toEqual({ status: 1, whole: 3 })

    act(() => client.set({ status: 'grace', reason: 'unreachable' }))
    expect(screen.getByTestId('status').textContent).toBe('grace')
    expect(renders).toEqual({ status: 2, whole: 4 })
  })

  it('uses isEqual to keep an equal selection and skip the render', () => {
    const client = createFakeClient(activeState)
    const seen: Seats[] = []
    render(
      <LicenseProvider client={client}>
        <SeatsProbe onRender={(seats) => seen.push(seats)} />
      </LicenseProvider>,
    )
    act(() => client.set({ checkedAt: '2026-11-27T00:00:00.000Z' }))
    expect(seen).toHaveLength(1)
    act(() => client.set({ license: { ...LICENSE, activationsCount: 2 } }))
    expect(seen).toEqual([
      { used: 1, limit: 3 },
      { used: 2, limit: 3 },
    ])
    expect(screen.getByTestId('seats').textContent).toBe('2/3')
  })

  it('unsubscribes when the component unmounts', () => {
    const client = createFakeClient()
    const { unmount } = renderHook(() => useLicense((state) => state.status), {
      wrapper: wrapperFor(client),
    })
    expect(client.listenerCount).toBe(1)
    unmount()
    expect(client.listenerCount).toBe(0)
  })

  it('outside a provider, throws an error that says to wrap the tree in <LicenseProvider>', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => renderHook(() => useLicense())).toThrow(
      /useLicense\(\) must be used inside <LicenseProvider>\. Wrap your component tree in <LicenseProvider/,
    )
    expect(() => renderHook(() => useLicense((state) => state.status))).toThrow(/<LicenseProvider>/)
  })
})
