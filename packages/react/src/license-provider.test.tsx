import { createMemoryStorage, type LicenseClientOptions } from '@licensekit/core'
import { act, render } from '@testing-library/react'
import { StrictMode } from 'react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { activeState, createFakeClient, type FakeClient } from './test-support/fake-client.js'
import { useLicense } from './use-license.js'

/** Every client the endpoint form created, with the options it was given. */
const created = vi.hoisted(() => [] as Array<{ options: unknown; client: FakeClient }>)

vi.mock('@licensekit/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@licensekit/core')>()
  const { createFakeClient } = await import('./test-support/fake-client.js')
  return {
    ...core,
    createGatingClient: (options: LicenseClientOptions) => {
      const client = createFakeClient()
      created.push({ options, client })
      return client
    },
  }
})

beforeEach(() => {
  created.length = 0
})

/** Clients started and not stopped again. */
const running = () => created.filter(({ client }) => client.calls.start > client.calls.stop)

function Status() {
  return <p>{useLicense((state) => state.status)}</p>
}

describe('<LicenseProvider client>', () => {
  it('starts the client on mount and stops it on unmount', () => {
    const client = createFakeClient()
    const { unmount } = render(
      <LicenseProvider client={client}>
        <Status />
      </LicenseProvider>,
    )
    expect(client.calls).toMatchObject({ start: 1, stop: 0 })
    unmount()
    expect(client.calls).toMatchObject({ start: 1, stop: 1 })
  })

  it('leaves exactly one running client under StrictMode', () => {
    const client = createFakeClient()
    const { unmount } = render(
      <StrictMode>
        <LicenseProvider client={client}>
          <Status />
        </LicenseProvider>
      </StrictMode>,
    )
    expect(client.calls.start).toBeGreaterThanOrEqual(1)
    expect(client.calls.start - client.calls.stop).toBe(1)
    expect(client.listenerCount).toBe(1)
    unmount()
    expect(client.calls.start - client.calls.stop).toBe(0)
    expect(client.listenerCount).toBe(0)
  })

  it('each provider sharing a client starts it once and stops it once (the client counts)', () => {
    const client = createFakeClient()
    const first = render(<LicenseProvider client={client}>one</LicenseProvider>)
    const second = render(<LicenseProvider client={client}>two</LicenseProvider>)
    expect(client.calls).toMatchObject({ start: 2, stop: 0 })
    first.unmount()
    expect(client.calls).toMatchObject({ start: 2, stop: 1 })
    second.unmount()
    expect(client.calls).toMatchObject({ start: 2, stop: 2 })
  })

  it('a real client the app started itself keeps running after the provider unmounts', async () => {
    const { createLicenseClient: realClient } =
      await vi.importActual<typeof import('@licensekit/core')>('@licensekit/core')
    const listening = { added: 0, removed: 0 }
    const client = realClient({
      endpoint: '/api/license',
      storage: createMemoryStorage(),
      locks: null,
      channel: null,
      visibility: {
        isVisible: () => true,
        subscribe: () => {
          listening.added++
          return () => {
            listening.removed++
          }
        },
      },
      fetch: async () => new Response('{}', { status: 503 }),
    })
    client.start()
    const { unmount } = render(
      <LicenseProvider client={client}>
        <Status />
      </LicenseProvider>,
    )
    unmount()
    expect(listening).toEqual({ added: 1, removed: 0 })
    client.stop()
    expect(listening).toEqual({ added: 1, removed: 1 })
  })

  it('stops the old client and starts the new one when the client prop changes', () => {
    const before = createFakeClient({ status: 'unlicensed' })
    const after = createFakeClient({ status: 'active' })
    const { rerender, container } = render(
      <LicenseProvider client={before}>
        <Status />
      </LicenseProvider>,
    )
    expect(container.textContent).toBe('unlicensed')
    rerender(
      <LicenseProvider client={after}>
        <Status />
      </LicenseProvider>,
    )
    expect(container.textContent).toBe('active')
    expect(before.calls).toMatchObject({ start: 1, stop: 1 })
    expect(after.calls).toMatchObject({ start: 1, stop: 0 })
    expect(before.listenerCount).toBe(0)
  })
})

describe('<LicenseProvider endpoint>', () => {
  it('creates one client from the options, starts it on mount and stops it on unmount', () => {
    const { unmount, rerender, container } = render(
      <LicenseProvider endpoint="/api/license" graceDays={14}>
        <Status />
      </LicenseProvider>,
    )
    expect(created).toHaveLength(1)
    expect(created[0]?.options).toEqual({ endpoint: '/api/license', graceDays: 14 })
    const client = created[0]?.client as FakeClient
    expect(client.calls).toMatchObject({ start: 1, stop: 0 })
    act(() => client.set(activeState))
    expect(container.textContent).toBe('active')

    rerender(
      <LicenseProvider endpoint="/api/other" graceDays={30}>
        <Status />
      </LicenseProvider>,
    )
    expect(created).toHaveLength(1)
    expect(container.textContent).toBe('active')
    unmount()
    expect(client.calls).toMatchObject({ start: 1, stop: 1 })
    expect(client.listenerCount).toBe(0)
  })

  it('leaves exactly one running client under StrictMode', () => {
    const { unmount, container } = render(
      <StrictMode>
        <LicenseProvider endpoint="/api/license">
          <Status />
        </LicenseProvider>
      </StrictMode>,
    )
    expect(created.length).toBeGreaterThanOrEqual(1)
    const live = running()
    expect(live).toHaveLength(1)
    const client = live[0]?.client as FakeClient
    expect(client.calls.start - client.calls.stop).toBe(1)
    // The running client is the one the tree reads.
    act(() => client.set(activeState))
    expect(container.textContent).toBe('active')
    unmount()
    expect(running()).toHaveLength(0)
    for (const { client } of created) expect(client.calls.start).toBe(client.calls.stop)
  })

  it('gives each provider its own client', () => {
    const first = render(<LicenseProvider endpoint="/a">one</LicenseProvider>)
    const second = render(<LicenseProvider endpoint="/b">two</LicenseProvider>)
    expect(running().map(({ options }) => options)).toEqual([
      { endpoint: '/a' },
      { endpoint: '/b' },
    ])
    first.unmount()
    second.unmount()
    expect(running()).toHaveLength(0)
  })
})
