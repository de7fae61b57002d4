// @vitest-environment node
import type { GatingClient, LicenseClientOptions } from '@licensekit/core'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { Licensed } from './licensed.js'
import { activeState, createFakeClient } from './test-support/fake-client.js'
import { useLicense } from './use-license.js'
import { useLicenseKeyInput } from './use-license-key-input.js'

/** The real `createGatingClient`, counting the clients it makes and every `start()`. */
const counts = vi.hoisted(() => ({ created: 0, started: 0 }))

vi.mock('@licensekit/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@licensekit/core')>()
  return {
    ...core,
    createGatingClient: (options: LicenseClientOptions): GatingClient => {
      const client = core.createGatingClient(options)
      counts.created++
      return {
        ...client,
        start: () => {
          counts.started++
          client.start()
        },
      }
    },
  }
})

afterEach(() => {
  vi.unstubAllGlobals()
})

function Status() {
  const { status, isLicensed } = useLicense()
  return (
    <p>
      {status}/{String(isLicensed)}
    </p>
  )
}

function KeyField() {
  const field = useLicenseKeyInput()
  return <input aria-label="License key" {...field.inputProps} />
}

describe('server rendering', () => {
  it('renders the pending state without window, IndexedDB or starting the client', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
    expect(typeof indexedDB).toBe('undefined')
    // The live snapshot is active, but the server must render the server snapshot.
    const client = createFakeClient(activeState)
    const html = renderToString(
      <LicenseProvider client={client}>
        <Status />
        <Licensed fallback={<b>Upgrade</b>} pending={<i>Checking your license…</i>}>
          <b>Pro feature</b>
        </Licensed>
        <Licensed fallback="locked" pending="wait">
          {(state) => state.status}
        </Licensed>
        <KeyField />
      </LicenseProvider>,
    )
    expect(html).toContain('loading<!-- -->/<!-- -->false')
    expect(html).toContain('<i>Checking your license…</i>')
    expect(html).not.toContain('Upgrade')
    expect(html).not.toContain('Pro feature')
    expect(html).toContain('wait')
    expect(html).toMatch(/<input[^>]*aria-label="License key"[^>]*value=""/)
    expect(client.calls).toMatchObject({ start: 0, stop: 0 })
    expect(client.listenerCount).toBe(0)
  })

  it('renders the pending state with the endpoint form and the real client, starting nothing', () => {
    const fetch = vi.fn(() => Promise.reject(new Error('no network during server rendering')))
    vi.stubGlobal('fetch', fetch)
    const html = renderToString(
      <LicenseProvider endpoint="/api/license">
        <Status />
        <Licensed fallback={<b>Upgrade</b>} pending={<i>Checking your license…</i>}>
          <b>Pro feature</b>
        </Licensed>
      </LicenseProvider>,
    )
    expect(typeof window).toBe('undefined')
    expect(typeof indexedDB).toBe('undefined')
    expect(html).toContain('loading<!-- -->/<!-- -->false')
    expect(html).toContain('<i>Checking your license…</i>')
    expect(html).not.toContain('Upgrade')
    expect(counts).toEqual({ created: 1, started: 0 })
    expect(fetch).not.toHaveBeenCalled()
  })

  it('<LicenseProvider initialState> renders licensed content in the first HTML', () => {
    const html = renderToString(
      <LicenseProvider endpoint="/api/license" mode="installation" initialState={activeState}>
        <Status />
        <Licensed fallback={<b>Upgrade</b>} pending={<i>Checking…</i>}>
          <em>Premium</em>
        </Licensed>
      </LicenseProvider>,
    )
    expect(html).toContain('<p>active<!-- -->/<!-- -->true</p>')
    expect(html).toContain('<em>Premium</em>')
    expect(html).not.toContain('Checking')
  })
})
