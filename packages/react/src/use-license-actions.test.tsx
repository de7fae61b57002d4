import { createGatingClient, createMemoryStorage, type GatingClient } from '@licensekit/core'
import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { activeState, createFakeClient } from './test-support/fake-client.js'
import { useLicense } from './use-license.js'
import { useLicenseActions } from './use-license-actions.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'

function wrapperFor(client: GatingClient) {
  return ({ children }: { children: ReactNode }) => (
    <LicenseProvider client={client}>{children}</LicenseProvider>
  )
}

/** A gating client on memory storage whose proxy grants every request. */
function grantingClient(requests: string[]): GatingClient {
  return createGatingClient({
    endpoint: 'http://localhost/api/license',
    storage: createMemoryStorage(),
    locks: null,
    channel: null,
    fetch: async (input) => {
      const request = input as Request
      const action = new URL(request.url).pathname.split('/').at(-1) ?? ''
      requests.push(action)
      const license =
        action === 'deactivate'
          ? null
          : { key: KEY, status: 'active', expiresAt: null, entitlements: {} }
      return Response.json({ ok: true, license, checkedAt: new Date().toISOString() })
    },
  })
}

describe('useLicenseActions()', () => {
  it("returns the provider client's own commands when it has them", async () => {
    const client = createFakeClient()
    const { result } = renderHook(() => useLicenseActions(), { wrapper: wrapperFor(client) })
    expect(result.current.activate).toBe(client.activate)
    await act(() => result.current.activate(KEY))
    await act(() => result.current.deactivate())
    expect(client.calls.activate).toEqual([KEY])
    expect(client.calls.deactivate).toBe(1)
  })

  it('activates and deactivates through a gating client; useLicense follows', async () => {
    const requests: string[] = []
    const client = grantingClient(requests)
    const { result } = renderHook(() => ({ actions: useLicenseActions(), state: useLicense() }), {
      wrapper: wrapperFor(client),
    })
    await act(() => result.current.actions.activate(KEY))
    expect(result.current.state).toMatchObject({ status: 'active', isLicensed: true })
    await act(async () => {
      expect((await result.current.actions.deactivate()).outcome).toBe('freed')
    })
    expect(result.current.state).toMatchObject({ status: 'unlicensed', isLicensed: false })
    expect(requests).toEqual(expect.arrayContaining(['activate', 'deactivate']))
  })

  it('keeps the command identities across state changes', () => {
    const client = createFakeClient()
    const { result } = renderHook(() => ({ actions: useLicenseActions(), state: useLicense() }), {
      wrapper: wrapperFor(client),
    })
    const first = result.current.actions
    act(() => client.set(activeState))
    expect(result.current.state.status).toBe('active')
    expect(result.current.actions).toBe(first)
  })

  it('outside a provider, throws an error that names the hook', () => {
    expect(() => renderHook(() => useLicenseActions())).toThrow(
      /useLicenseActions\(\) must be used inside <LicenseProvider>/,
    )
  })
})
