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
})
