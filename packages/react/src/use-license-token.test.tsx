import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { activeState, createFakeClient, type FakeClient } from './test-support/fake-client.js'
import { useLicenseToken } from './use-license-token.js'

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = Math.floor(Date.now() / 1000)

/** A license token in the proxy's shape (the hook reads its times; it does not verify it). */
const TOKEN = [
  encode({ alg: 'ES256', typ: 'license+jwt', kid: 'k1' }),
  encode({
    iss: 'licensekit',
    sub: 'a'.repeat(64),
    aud: 'shop.example',
    st: 'active',
    lexp: null,
    ent: {},
    iat: now,
    exp: now + 86_400,
  }),
  Buffer.alloc(64, 1).toString('base64url'),
].join('.')

function wrapperFor(client: FakeClient) {
  return ({ children }: { children: ReactNode }) => (
    <LicenseProvider client={client}>{children}</LicenseProvider>
  )
}

describe('useLicenseToken()', () => {
  it("sends the client's stored token while it is fresh, with stable identities", async () => {
    const client = createFakeClient(activeState)
    client.token = TOKEN
    const sent: Request[] = []
    const send = async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Request(new URL(String(input), 'http://localhost'), init))
      return new Response('ok')
    }
    // A new options object on every render, as an inline literal gives.
    const { result, rerender } = renderHook(() => useLicenseToken({ fetch: send }), {
      wrapper: wrapperFor(client),
    })
    const first = result.current
    act(() => client.set({ isChecking: true }))
    rerender()
    expect(result.current).toBe(first)
    expect(await result.current.getToken()).toBe(TOKEN)
    await result.current.fetch('/api/premium/export.csv', { headers: { accept: 'text/csv' } })
    expect(sent[0]?.headers.get('authorization')).toBe(`License ${TOKEN}`)
    expect(sent[0]?.headers.get('accept')).toBe('text/csv')
    expect(client.calls.refresh).toBe(0)
  })

  it('resolves null without a token after checking with the proxy', async () => {
    const client = createFakeClient({ status: 'unlicensed' })
    const { result } = renderHook(() => useLicenseToken(), { wrapper: wrapperFor(client) })
    expect(await result.current.getToken()).toBeNull()
    expect(client.calls.refresh).toBe(1)
    expect(client.calls.storedToken).toBe(2)
  })

  it('throws outside a provider', () => {
    expect(() => renderHook(() => useLicenseToken())).toThrow(/useLicenseToken\(\) must be used/)
  })
})
