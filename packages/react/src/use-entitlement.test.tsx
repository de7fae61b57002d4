import type { LicenseState } from '@licensekit/core'
import { act, render, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { activeState, createFakeClient, type FakeClient } from './test-support/fake-client.js'
import { useEntitlement } from './use-entitlement.js'

const license = activeState.license ?? { key: 'x', status: 'active', expiresAt: null }
const entitled: Partial<LicenseState> = {
  ...activeState,
  license: { ...license, entitlements: { export: true, forecast: false, seats: 5 } },
}

function Seats({ onRender }: { onRender: () => void }) {
  onRender()
  return <span>{useEntitlement('seats')}</span>
}

function wrapperFor(client: FakeClient) {
  return ({ children }: { children: ReactNode }) => (
    <LicenseProvider client={client}>{children}</LicenseProvider>
  )
}

describe('useEntitlement', () => {
  it('follows the state', () => {
    const client = createFakeClient()
    const { result } = renderHook(() => useEntitlement('seats'), { wrapper: wrapperFor(client) })
    expect(result.current).toBeUndefined()
    act(() => client.set(entitled))
    expect(result.current).toBe(5)
    act(() => client.set({ status: 'denied', reason: 'revoked' }))
    expect(result.current).toBeUndefined()
  })

  it('re-renders only when its value changes', () => {
    const client = createFakeClient(entitled)
    let renders = 0
    const { container } = render(<Seats onRender={() => renders++} />, {
      wrapper: wrapperFor(client),
    })
    act(() => client.set({ checkedAt: '2026-11-27T00:00:00.000Z' }))
    expect(renders).toBe(1)
    act(() => client.set({ license: { ...license, entitlements: { seats: 6 } } }))
    expect(container.textContent).toBe('6')
    expect(renders).toBe(2)
  })

  it('throws outside a provider', () => {
    const original = console.error
    console.error = () => undefined
    try {
      expect(() => renderHook(() => useEntitlement('export'))).toThrow(
        /^useEntitlement\(\) must be used inside <LicenseProvider>/,
      )
    } finally {
      console.error = original
    }
  })
})
