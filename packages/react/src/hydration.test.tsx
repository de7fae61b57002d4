import { act, render } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { Licensed } from './licensed.js'
import { activeState, createFakeClient } from './test-support/fake-client.js'
import { useLicense } from './use-license.js'

function Status() {
  return <b>{useLicense((state) => state.status)}</b>
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('hydration', () => {
  it('hydrates from the server snapshot, then shows the live state without a mismatch', async () => {
    const client = createFakeClient(activeState)
    const tree = (
      <LicenseProvider client={client}>
        <Status />
        <Licensed fallback="Upgrade" pending="Checking…">
          Pro feature
        </Licensed>
      </LicenseProvider>
    )
    const container = document.createElement('div')
    container.innerHTML = renderToString(tree)
    expect(container.textContent).toBe('loadingChecking…')
    document.body.appendChild(container)

    const errors = vi.spyOn(console, 'error')
    await act(async () => {
      render(tree, { container, hydrate: true })
    })
    expect(container.textContent).toBe('activePro feature')
    expect(errors).not.toHaveBeenCalled()
    expect(client.calls.start).toBe(1)
  })
})
