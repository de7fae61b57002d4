import type { LicenseState } from '@licensekit/core'
import { act, render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { Licensed } from './licensed.js'
import { activeState, createFakeClient, loadingState } from './test-support/fake-client.js'

function Feature({ onRender }: { onRender: () => void }) {
  onRender()
  return <span>Pro feature</span>
}

function renderGate(initial: Partial<LicenseState>) {
  const client = createFakeClient(initial)
  const view = render(
    <LicenseProvider client={client}>
      <Licensed fallback={<span>Upgrade to Pro</span>} pending={<span>Checking…</span>}>
        <span>Pro feature</span>
      </Licensed>
    </LicenseProvider>,
  )
  return { client, view }
}

describe('<Licensed>', () => {
  it.each([
    ['loading', {}, 'Checking…'],
    ['active', activeState, 'Pro feature'],
    ['grace', { ...activeState, status: 'grace', reason: 'unreachable' }, 'Pro feature'],
    ['unlicensed', { status: 'unlicensed' }, 'Upgrade to Pro'],
    ['denied', { status: 'denied', reason: 'revoked' }, 'Upgrade to Pro'],
  ] as const)('renders the right slot while %s', (_status, state, text) => {
    const { view } = renderGate(state)
    expect(view.container.textContent).toBe(text)
  })

  it('never shows the fallback while loading, then follows the state', () => {
    const { client, view } = renderGate({})
    const seen: string[] = [view.container.textContent ?? '']
    act(() => client.set({ isChecking: true }))
    seen.push(view.container.textContent ?? '')
    act(() => client.set({ ...activeState, source: 'cache' }))
    seen.push(view.container.textContent ?? '')
    act(() => client.set({ status: 'denied', reason: 'expired' }))
    seen.push(view.container.textContent ?? '')
    act(() => client.set({ ...loadingState }))
    seen.push(view.container.textContent ?? '')
    expect(seen).toEqual(['Checking…', 'Checking…', 'Pro feature', 'Upgrade to Pro', 'Checking…'])
  })

  it('renders nothing for a missing fallback or pending', () => {
    const client = createFakeClient()
    const { container } = render(
      <LicenseProvider client={client}>
        <Licensed>
          <span>Pro feature</span>
        </Licensed>
      </LicenseProvider>,
    )
    expect(container.innerHTML).toBe('')
    act(() => client.set({ status: 'unlicensed' }))
    expect(container.innerHTML).toBe('')
    act(() => client.set(activeState))
    expect(container.textContent).toBe('Pro feature')
  })

  it('calls a render-function child with the state, only when licensed', () => {
    const client = createFakeClient({ status: 'unlicensed' })
    const calls: LicenseState[] = []
    const { container } = render(
      <LicenseProvider client={client}>
        <Licensed fallback="locked" pending="wait">
          {(state) => {
            calls.push(state)
            return `${state.status} until ${state.graceEndsAt ?? 'renewal'}`
          }}
        </Licensed>
      </LicenseProvider>,
    )
    expect(container.textContent).toBe('locked')
    expect(calls).toEqual([])
    act(() =>
      client.set({
        ...activeState,
        status: 'grace',
        reason: 'unreachable',
        graceEndsAt: '2026-12-03T22:00:00.000Z',
      }),
    )
    expect(container.textContent).toBe('grace until 2026-12-03T22:00:00.000Z')
    expect(calls.at(-1)).toBe(client.getSnapshot())
  })

  it('does not re-render plain children for a change inside the same gate', () => {
    const client = createFakeClient(activeState)
    let renders = 0
    render(
      <LicenseProvider client={client}>
        <Licensed fallback="locked">
          <Feature onRender={() => renders++} />
        </Licensed>
      </LicenseProvider>,
    )
    act(() => client.set({ checkedAt: '2026-11-27T00:00:00.000Z' }))
    act(() => client.set({ status: 'grace', reason: 'unreachable' }))
    expect(renders).toBe(1)
  })

  it('throws outside a provider, saying to add one', () => {
    const original = console.error
    console.error = () => undefined
    try {
      expect(() => render(<Licensed>x</Licensed>)).toThrow(
        /^<Licensed> must be used inside <LicenseProvider>\. Wrap your component tree/,
      )
    } finally {
      console.error = original
    }
  })

  describe('with feature', () => {
    const license = activeState.license ?? { key: 'x', status: 'active', expiresAt: null }
    const withEntitlements = (entitlements: Record<string, boolean | number>) => ({
      ...activeState,
      license: { ...license, entitlements },
    })

    function renderFeature(initial: Partial<LicenseState>, feature = 'export') {
      const client = createFakeClient(initial)
      const view = render(
        <LicenseProvider client={client}>
          <Licensed feature={feature} fallback="Upgrade for export" pending="Checking…">
            Export CSV
          </Licensed>
        </LicenseProvider>,
      )
      return { client, view }
    }

    it.each([
      ['loading', {}, 'Checking…'],
      ['active with the entitlement', withEntitlements({ export: true }), 'Export CSV'],
      ['active with a non-zero number', withEntitlements({ export: 3 }), 'Export CSV'],
      [
        'grace with the entitlement',
        { ...withEntitlements({ export: true }), status: 'grace', reason: 'unreachable' },
        'Export CSV',
      ],
      ['active without it', withEntitlements({ forecast: true }), 'Upgrade for export'],
      ['active with it false', withEntitlements({ export: false }), 'Upgrade for export'],
      ['active with it 0', withEntitlements({ export: 0 }), 'Upgrade for export'],
      ['active without entitlements', activeState, 'Upgrade for export'],
      [
        'denied with the entitlement',
        { ...withEntitlements({ export: true }), status: 'denied', reason: 'revoked' },
        'Upgrade for export',
      ],
    ] as const)('while %s renders %j', (_label, state, text) => {
      expect(renderFeature(state).view.container.textContent).toBe(text)
    })

    it('follows a change of entitlements and of the feature asked for', () => {
      const { client, view } = renderFeature(withEntitlements({ export: true, forecast: false }))
      expect(view.container.textContent).toBe('Export CSV')
      act(() => client.set(withEntitlements({ export: false })))
      expect(view.container.textContent).toBe('Upgrade for export')
      view.rerender(
        <LicenseProvider client={client}>
          <Licensed fallback="Upgrade for export">Export CSV</Licensed>
        </LicenseProvider>,
      )
      expect(view.container.textContent).toBe('Export CSV')
    })

    it('calls a render-function child only when the entitlement is there', () => {
      const client = createFakeClient(withEntitlements({ forecast: true }))
      const { container } = render(
        <LicenseProvider client={client}>
          <Licensed feature="export" fallback="locked">
            {(state) => `export for ${state.license?.key}`}
          </Licensed>
        </LicenseProvider>,
      )
      expect(container.textContent).toBe('locked')
      act(() => client.set(withEntitlements({ export: true })))
      expect(container.textContent).toBe(`export for ${license.key}`)
    })
  })
})
