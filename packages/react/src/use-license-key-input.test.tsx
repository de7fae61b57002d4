import {
  LICENSE_ERROR_CODES,
  LicenseError,
  type LicenseErrorCode,
  type LicenseState,
} from '@licensekit/core'
import { act, fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { LicenseProvider } from './license-provider.js'
import { licenseErrorMessages } from './messages.js'
import { activeState, createFakeClient, type FakeClient } from './test-support/fake-client.js'
import { backspace, deleteForward, edit, type } from './test-support/input-events.js'
import {
  type UseLicenseKeyInputOptions,
  type UseLicenseKeyInputResult,
  useLicenseKeyInput,
} from './use-license-key-input.js'

const KEY = 'SHOP-A1B2-C3D4-E5F6-G7H8'

interface HookRef {
  current: UseLicenseKeyInputResult | null
}

function KeyForm({ options, hook }: { options: UseLicenseKeyInputOptions; hook: HookRef }) {
  const field = useLicenseKeyInput(options)
  hook.current = field
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault()
        void field.submit()
      }}
    >
      <input aria-label="License key" {...field.inputProps} />
      {field.message === null ? null : <p {...field.messageProps}>{field.message}</p>}
      <button type="submit" disabled={!field.isComplete || field.isPending}>
        Activate
      </button>
    </form>
  )
}

function setup(options: UseLicenseKeyInputOptions = {}, client: FakeClient = createFakeClient()) {
  const hook: HookRef = { current: null }
  render(
    <LicenseProvider client={client}>
      <KeyForm options={options} hook={hook} />
    </LicenseProvider>,
  )
  const input = screen.getByLabelText<HTMLInputElement>('License key')
  input.focus()
  const current = () => {
    if (hook.current === null) throw new Error('not rendered')
    return hook.current
  }
  return { client, input, current }
}

describe('useLicenseKeyInput() formatting', () => {
  it('formats as the user types and reports completeness', () => {
    const { input, current } = setup()
    type(input, 'shop-a1b2c3d4e5f6g7h')
    expect(input.value).toBe('SHOP-A1B2-C3D4-E5F6-G7H')
    expect(current().isComplete).toBe(false)
    expect(screen.getByRole('button').hasAttribute('disabled')).toBe(true)
    type(input, '8')
    expect(input.value).toBe(KEY)
    expect(input.selectionStart).toBe(KEY.length)
    expect(current().isComplete).toBe(true)
    expect(current().formatError).toBeNull()
    expect(screen.getByRole('button').hasAttribute('disabled')).toBe(false)
  })

  it('keeps the caret where the user typed in the middle', () => {
    const { input } = setup()
    type(input, 'shop-a1b2c3d4')
    input.setSelectionRange(7, 7)
    type(input, 'xy')
    expect(input.value).toBe('SHOP-A1XY-B2C3-D4')
    expect(input.selectionStart).toBe(9)
    type(input, 'z')
    expect(input.value).toBe('SHOP-A1XY-ZB2C-3D4')
    expect(input.selectionStart).toBe(11)
  })

  it('deletes the character before an inserted dash on backspace, and after it on delete', () => {
    const { input } = setup()
    type(input, 'shop-a1b2c3')
    input.setSelectionRange(10, 10) // SHOP-A1B2-|C3
    backspace(input)
    expect(input.value).toBe('SHOP-A1BC-3')
    expect(input.selectionStart).toBe(8)
    input.setSelectionRange(9, 9) // SHOP-A1BC|-3
    deleteForward(input)
    expect(input.value).toBe('SHOP-A1BC')
    expect(input.selectionStart).toBe(9)
  })

  it('removes the prefix dash the user typed on backspace', () => {
    const { input } = setup()
    type(input, 'shop-a1')
    input.setSelectionRange(5, 5)
    backspace(input)
    expect(input.value).toBe('SHOPA1')
    expect(input.selectionStart).toBe(4)
  })

  it('drops characters a key cannot contain without moving the caret', () => {
    const { input } = setup()
    type(input, 'shop-a1')
    input.setSelectionRange(2, 2)
    type(input, '%')
    expect(input.value).toBe('SHOP-A1')
    expect(input.selectionStart).toBe(2)
  })

  it('formats a pasted dashless key as a whole key', () => {
    const { input, current } = setup()
    fireEvent.paste(input)
    edit(input, ' shopa1b2c3d4e5f6g7h8 ', 22, 'insertFromPaste')
    expect(input.value).toBe(KEY)
    expect(input.selectionStart).toBe(KEY.length)
    expect(current().isComplete).toBe(true)
  })

  it('formats a dashless key that a browser pastes or drops, by its inputType', () => {
    const { input } = setup()
    edit(input, 'shopa1b2c3d4e5f6g7h8', 20, 'insertFromPaste')
    expect(input.value).toBe(KEY)
    fireEvent.change(input, { target: { value: '', selectionStart: 0 } })
    edit(input, 'shopa1b2c3d4e5f6g7h8', 20, 'insertFromDrop')
    expect(input.value).toBe(KEY)
  })

  it('formats an autofilled key: a change without inputType that brings many characters', () => {
    const { input } = setup()
    edit(input, 'shopa1b2c3d4e5f6g7h8', 20)
    expect(input.value).toBe(KEY)
  })

  it('keeps typing one character at a time unformatted until a dash says where the prefix ends', () => {
    const { input } = setup()
    fireEvent.paste(input)
    type(input, 'shopa1b2c3d4e5f6g7h8')
    expect(input.value).toBe('SHOPA1B2C3D4E5F6G7H8')
  })

  it('formats a dashless key typed by hand when the field loses focus', () => {
    const { input, current } = setup()
    type(input, 'shopa1b2c3d4e5f6g7h8')
    expect(current().isComplete).toBe(false)
    fireEvent.blur(input)
    expect(input.value).toBe(KEY)
    expect(current().isComplete).toBe(true)
  })

  it('inserts the dash after a known prefix', () => {
    const { input } = setup({ prefix: 'SHOP' })
    type(input, 'shopa1b2c')
    expect(input.value).toBe('SHOP-A1B2-C')
  })

  it('shows a format error, marks the field invalid and describes it', () => {
    const { input, current } = setup()
    type(input, `${KEY}x`)
    expect(current().formatError).toMatch(/too many characters/)
    expect(input.getAttribute('aria-invalid')).toBe('true')
    const describedBy = input.getAttribute('aria-describedby')
    expect(describedBy).not.toBeNull()
    expect(document.getElementById(describedBy ?? '')?.textContent).toBe(current().formatError)
    backspace(input)
    expect(input.getAttribute('aria-invalid')).toBe('false')
    expect(input.hasAttribute('aria-describedby')).toBe(false)
  })

  it('sets the attributes a key field needs', () => {
    const { input } = setup()
    expect(input.getAttribute('autocomplete')).toBe('off')
    expect(input.getAttribute('spellcheck')).toBe('false')
    expect(input.getAttribute('autocapitalize')).toBe('characters')
    expect(input.getAttribute('type')).toBe('text')
  })

  it('starts from a formatted initial value, and setValue and reset change it', () => {
    const { input, current } = setup({ initialValue: 'shop a1b2 c3d4 e5f6 g7h8' })
    expect(input.value).toBe(KEY)
    act(() => current().setValue('ab-1234'))
    expect(input.value).toBe('AB-1234')
    act(() => current().reset())
    expect(input.value).toBe('')
  })
})

describe('useLicenseKeyInput() submit', () => {
  it('activates the canonical key, exposes pending, and reports the new state', async () => {
    const client = createFakeClient({ status: 'unlicensed' })
    let finish: (state: LicenseState) => void = () => undefined
    client.onActivate = () =>
      new Promise((resolve) => {
        finish = resolve
      })
    const onActivated = vi.fn()
    const { input, current } = setup({ onActivated }, client)
    type(input, 'shop-a1b2c3d4e5f6g7h8')

    let result: Promise<LicenseState | null> = Promise.resolve(null)
    act(() => {
      result = current().submit()
    })
    expect(current().isPending).toBe(true)
    expect(screen.getByRole('button').hasAttribute('disabled')).toBe(true)
    expect(current().submit()).toBe(result)
    expect(client.calls.activate).toEqual([KEY])

    await act(async () => {
      finish(activeState)
      await result
    })
    await expect(result).resolves.toBe(activeState)
    expect(current().isPending).toBe(false)
    expect(current().error).toBeNull()
    expect(onActivated).toHaveBeenCalledWith(activeState)
    expect(input.value).toBe(KEY)
  })

  it('refuses a malformed key locally, without calling the server', async () => {
    const { input, current, client } = setup()
    type(input, 'shop-a1b2')
    await act(async () => {
      await expect(current().submit()).resolves.toBeNull()
    })
    expect(client.calls.activate).toEqual([])
    expect(current().error?.code).toBe('invalid_key_format')
    expect(current().errorMessage).toBe(licenseErrorMessages.invalid_key_format)
    expect(screen.getByRole('status').textContent).toBe(licenseErrorMessages.invalid_key_format)
  })

  it.each(LICENSE_ERROR_CODES.filter((code) => code !== 'rate_limited'))(
    'shows the words for %s when activation fails',
    async (code: LicenseErrorCode) => {
      const client = createFakeClient({ status: 'unlicensed' })
      const failure = new LicenseError(code, `server said ${code}`)
      client.onActivate = () => Promise.reject(failure)
      const { input, current } = setup({}, client)
      type(input, KEY)
      await act(async () => {
        await expect(current().submit()).resolves.toBeNull()
      })
      expect(current().isPending).toBe(false)
      expect(current().error).toBe(failure)
      expect(current().errorMessage).toBe(licenseErrorMessages[code])
      expect(input.getAttribute('aria-invalid')).toBe('true')
      expect(screen.getByRole('status').textContent).toBe(licenseErrorMessages[code])
      expect(input.value).toBe(KEY)
    },
  )

  it('says when to retry after a rate limit', async () => {
    const client = createFakeClient({ status: 'unlicensed' })
    client.onActivate = () =>
      Promise.reject(new LicenseError('rate_limited', 'Too many', { retryAfter: 30 }))
    const { input, current } = setup({}, client)
    type(input, KEY)
    await act(() => current().submit())
    expect(current().errorMessage).toBe(
      'Too many attempts in a short time. Try again in 30 seconds.',
    )
  })

  it('clears the error when the user edits the key', async () => {
    const client = createFakeClient({ status: 'unlicensed' })
    client.onActivate = () => Promise.reject(new LicenseError('not_found', 'License not found'))
    const { input, current } = setup({}, client)
    type(input, KEY)
    await act(() => current().submit())
    expect(current().error?.code).toBe('not_found')
    backspace(input)
    expect(current().error).toBeNull()
    expect(current().message).toBeNull()
  })

  it('turns a rejection that is not a LicenseError into one, keeping the cause', async () => {
    const client = createFakeClient({ status: 'unlicensed' })
    const bug = new TypeError('boom')
    client.onActivate = () => Promise.reject(bug)
    const { input, current } = setup({}, client)
    type(input, KEY)
    await act(() => current().submit())
    expect(current().error).toBeInstanceOf(LicenseError)
    expect(current().error?.cause).toBe(bug)
    expect(current().errorMessage).toBe(licenseErrorMessages.invalid_response)
  })

  it('submits through a form with Enter', async () => {
    const client = createFakeClient({ status: 'unlicensed' })
    const { input } = setup({}, client)
    type(input, KEY)
    await act(async () => {
      fireEvent.submit(input.form as HTMLFormElement)
    })
    expect(client.calls.activate).toEqual([KEY])
  })

  it('throws outside a provider, saying to add one', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      expect(() => render(<KeyForm options={{}} hook={{ current: null }} />)).toThrow(
        /^useLicenseKeyInput\(\) must be used inside <LicenseProvider>/,
      )
    } finally {
      vi.restoreAllMocks()
    }
  })
})

describe('useLicenseKeyInput() with a key format', () => {
  const ECO = { prefix: 'ECO', groups: 3 } as const

  it('groups, completes and activates three-group keys of the configured prefix', async () => {
    const client = createFakeClient({ status: 'unlicensed' })
    const { input, current } = setup({ format: ECO }, client)
    type(input, 'ecoa1b2c3d4e5f')
    expect(input.value).toBe('ECO-A1B2-C3D4-E5F')
    expect(current().isComplete).toBe(false)
    type(input, '6')
    expect(input.value).toBe('ECO-A1B2-C3D4-E5F6')
    expect(current().isComplete).toBe(true)
    await act(() => current().submit())
    expect(client.calls.activate).toEqual(['ECO-A1B2-C3D4-E5F6'])
  })

  it('shows the configured format as the placeholder', () => {
    const { input, current } = setup({ format: ECO })
    expect(input.getAttribute('placeholder')).toBe('ECO-XXXX-XXXX-XXXX')
    expect(current().placeholder).toBe('ECO-XXXX-XXXX-XXXX')
  })

  it("follows the provider's client keyFormat when given no format of its own", async () => {
    const client: FakeClient = Object.assign(createFakeClient({ status: 'unlicensed' }), {
      keyFormat: ECO,
    })
    const { input, current } = setup({}, client)
    expect(input.getAttribute('placeholder')).toBe('ECO-XXXX-XXXX-XXXX')
    type(input, 'ecoa1b2c3d4e5f6')
    expect(input.value).toBe('ECO-A1B2-C3D4-E5F6')
    expect(current().isComplete).toBe(true)
    await act(() => current().submit())
    expect(client.calls.activate).toEqual(['ECO-A1B2-C3D4-E5F6'])
  })

  it("prefers its own format to the client's keyFormat", () => {
    const client: FakeClient = Object.assign(createFakeClient(), { keyFormat: ECO })
    const { input } = setup({ format: { groups: 4 } }, client)
    expect(input.getAttribute('placeholder')).toBe('PREFIX-XXXX-XXXX-XXXX-XXXX')
  })

  it('follows the keyFormat of a provider that creates its client from options', () => {
    const hook: HookRef = { current: null }
    render(
      <LicenseProvider endpoint="/api/license" keyFormat={ECO} locks={null} channel={null}>
        <KeyForm options={{}} hook={hook} />
      </LicenseProvider>,
    )
    const input = screen.getByLabelText<HTMLInputElement>('License key')
    expect(input.getAttribute('placeholder')).toBe('ECO-XXXX-XXXX-XXXX')
  })

  it('shows the default format as the placeholder, with no fixed prefix', () => {
    const { input } = setup()
    expect(input.getAttribute('placeholder')).toBe('PREFIX-XXXX-XXXX-XXXX-XXXX')
  })

  it('words a refused key with the configured prefix and group count', async () => {
    const { input, current, client } = setup({ format: ECO })
    type(input, 'eco-a1b2')
    await act(() => current().submit())
    expect(client.calls.activate).toEqual([])
    expect(current().errorMessage).toBe(
      'That is not a license key. A key looks like ECO-XXXX-XXXX-XXXX: ECO and three groups of four letters or digits.',
    )
    expect(screen.getByRole('status').textContent).toBe(current().errorMessage)
  })

  it('reports another prefix as a format error and refuses it on submit', async () => {
    const { input, current, client } = setup({ format: ECO })
    type(input, 'shop-a1b2c3d4e5f6')
    expect(current().formatError).toBe(
      'Keys here start with ECO-. A key looks like ECO-XXXX-XXXX-XXXX.',
    )
    expect(current().isComplete).toBe(false)
    await act(() => current().submit())
    expect(client.calls.activate).toEqual([])
    expect(current().error?.code).toBe('invalid_key_format')
  })

  it('refuses a format that is not one while rendering', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      expect(() =>
        render(
          <LicenseProvider client={createFakeClient()}>
            <KeyForm options={{ format: { prefix: 'E', groups: 3 } }} hook={{ current: null }} />
          </LicenseProvider>,
        ),
      ).toThrow(expect.objectContaining({ code: 'invalid_config' }))
    } finally {
      vi.restoreAllMocks()
    }
  })
})
