import type { LicenseInfo, ProxyRequestBody } from '@licensekit/core'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { licenseErrorMessages } from './messages.js'
import { App } from './test-support/settings-example.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'
const LICENSE: LicenseInfo = {
  key: 'SHOP-****-****-****-G7H8',
  status: 'active',
  expiresAt: '2027-12-31T00:00:00.000Z',
  activationsCount: 1,
  activationsLimit: 3,
}

/** The proxy the README's app talks to, behind `fetch`: keeps one activation. */
function fakeProxy() {
  const calls: Array<{ action: string; body: ProxyRequestBody }> = []
  let activated = false
  let refuse: string | null = null
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init)
    const action = new URL(request.url).pathname.split('/').pop() ?? ''
    const body = (await request.json()) as ProxyRequestBody
    calls.push({ action, body })
    const reply = (status: number, payload: unknown) =>
      new Response(JSON.stringify(payload), {
        status,
        headers: { 'content-type': 'application/json' },
      })
    if (refuse !== null) {
      return reply(404, { ok: false, error: { code: refuse, message: 'License not found' } })
    }
    if (action === 'activate') activated = true
    if (action === 'deactivate') activated = false
    const license = activated && action !== 'deactivate' ? LICENSE : null
    return reply(200, { ok: true, license, checkedAt: new Date().toISOString() })
  }
  return {
    calls,
    fetch,
    refuseWith(code: string | null) {
      refuse = code
    },
  }
}

let proxy: ReturnType<typeof fakeProxy>

beforeEach(() => {
  proxy = fakeProxy()
  vi.stubGlobal('fetch', proxy.fetch)
  vi.stubGlobal('confirm', () => true)
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

function typeKey(value: string) {
  const input = screen.getByLabelText<HTMLInputElement>('License key')
  input.focus()
  fireEvent.change(input, { target: { value, selectionStart: value.length } })
  return input
}

describe("the README's settings page, on the real client", () => {
  it('activates, checks and removes a license; the gated feature follows', async () => {
    render(<App />)
    expect(screen.getByRole('status').textContent).toBe('Checking your license…')
    expect(screen.queryByLabelText('License key')).toBeNull()
    expect(screen.getByText('Checking your license…', { selector: 'p:not([role])' })).toBeTruthy()
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('No license on this site yet.'),
    )
    expect(screen.getByText(/PDF export is part of Pro/)).toBeTruthy()

    const input = typeKey('shop a1b2 c3d4 e5f6 g7h8')
    expect(input.value).toBe(KEY)
    expect(input.placeholder).toBe('SHOP-XXXX-XXXX-XXXX-XXXX')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Activate' }))
    })
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Licensed with SHOP-****-****-****-G7H8, valid until 2027-12-31.',
      ),
    )
    expect(proxy.calls.find((call) => call.action === 'activate')?.body).toEqual({ key: KEY })
    expect(screen.getByRole('button', { name: 'Export as PDF' })).toBeTruthy()

    const validations = proxy.calls.filter((call) => call.action === 'validate').length
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check now' }))
    })
    await waitFor(() =>
      expect(proxy.calls.filter((call) => call.action === 'validate').length).toBe(validations + 1),
    )

    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Remove license' }))
    })
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Export as PDF' })).toBeNull())
    expect(proxy.calls.at(-1)?.action).toBe('deactivate')
    expect(screen.getByText(/PDF export is part of Pro/)).toBeTruthy()
    expect(screen.getByLabelText('License key')).toBeTruthy()
    expect(screen.getByRole('status').textContent).toBe('No license on this site yet.')
  })

  it('says why Remove license failed instead of leaving a rejected promise', async () => {
    render(<App />)
    await waitFor(() => expect(screen.getByLabelText('License key')).toBeTruthy())
    typeKey(KEY)
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Activate' }))
    })
    await waitFor(() => expect(screen.getByRole('button', { name: 'Remove license' })).toBeTruthy())
    proxy.refuseWith('forbidden')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Remove license' }))
    })
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(licenseErrorMessages.forbidden),
    )
    expect(screen.getByRole('button', { name: 'Export as PDF' })).toBeTruthy()
  })

  it('shows the words for a refused key under the field', async () => {
    render(<App />)
    await waitFor(() => expect(screen.getByLabelText('License key')).toBeTruthy())
    proxy.refuseWith('not_found')
    typeKey(KEY)
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Activate' }))
    })
    await waitFor(() => expect(screen.getByText(licenseErrorMessages.not_found)).toBeTruthy())
    const input = screen.getByLabelText('License key')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      licenseErrorMessages.not_found,
    )
    expect(screen.getAllByRole('status')[0]?.textContent).toBe('Not licensed.')
    expect(screen.getByText(/PDF export is part of Pro/)).toBeTruthy()
  })

  it("throws the client's invalid_config error for bad provider options, during render", () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    expect(() => render(<LicenseProvider endpoint="/api/license" graceDays={3} />)).toThrow(
      expect.objectContaining({ name: 'LicenseError', code: 'invalid_config' }),
    )
  })
})
