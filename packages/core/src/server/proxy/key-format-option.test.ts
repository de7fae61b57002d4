import { describe, expect, it } from 'vitest'
import type { LicenseKeyFormat } from '../../keys/key-format.js'
import { maskLicenseKey } from '../../keys/license-key.js'
import { createLicenseProxy } from './create-license-proxy.js'
import type { LicenseProxyOptions } from './options.js'
import { errorCodeOf, fakeUpstream, KEY, post, testOptions } from './test-support/fake-upstream.js'

const ECO = { prefix: 'ECO', groups: 3 } as const

function build(overrides: Partial<LicenseProxyOptions>) {
  const { fetch, calls } = fakeUpstream()
  return { proxy: createLicenseProxy(testOptions(fetch, overrides)), calls }
}

describe('the keyFormat option of the proxy', () => {
  it('signs a key of the configured format in its canonical form', async () => {
    const { proxy, calls } = build({ keyFormat: ECO })
    const response = await proxy(post('activate', { key: 'eco a1b2 c3d4 e5f6' }))
    expect(response.status).toBe(200)
    expect(calls.length).toBeGreaterThan(0)
    for (const call of calls) expect(call.body.key).toBe('ECO-A1B2-C3D4-E5F6')
    expect(await response.json()).toMatchObject({ license: { key: 'ECO-****-****-E5F6' } })
  })

  it.each([
    ['a key of the default format', KEY],
    ['another prefix', 'SHOP-A1B2-C3D4-E5F6'],
    ['four groups', 'ECO-A1B2-C3D4-E5F6-G7H8'],
  ])('refuses %s with invalid_key_format before anything is signed', async (_label, key) => {
    const { proxy, calls } = build({ keyFormat: ECO })
    const response = await proxy(post('validate', { key }))
    expect(response.status).toBe(400)
    expect(await errorCodeOf(response)).toBe('invalid_key_format')
    expect(calls).toHaveLength(0)
  })

  it.each<[string, LicenseKeyFormat | undefined]>([
    ['AB-Z9Y8-X7W6-V5U4-T3S2', undefined],
    ['ABCDEFGHIJ-Z9Y8-X7W6-V5U4-T3S2', undefined],
    ['AB-Z9Y8-X7W6-V5U4', { groups: 3 }],
    ['ABCDEFGHIJ-Z9Y8-X7W6-V5U4', { groups: 3 }],
    ['ECO-Z9Y8-X7W6-V5U4', ECO],
  ])('answers %s masked as maskLicenseKey masks it', async (key, keyFormat) => {
    const { proxy } = build({ keyFormat })
    const response = await proxy(post('validate', { key }))
    expect(await response.json()).toMatchObject({
      license: { key: maskLicenseKey(key, keyFormat) },
    })
  })

  it('keeps the default format without the option', async () => {
    const { proxy, calls } = build({})
    expect((await proxy(post('validate', { key: 'ECO-A1B2-C3D4-E5F6' }))).status).toBe(400)
    expect((await proxy(post('validate', { key: KEY }))).status).toBe(200)
    expect(calls).toHaveLength(1)
  })

  it.each([
    ['a string', 'ECO'],
    ['null', null],
    ['a one-letter prefix', { prefix: 'E', groups: 3 }],
    ['five groups', { prefix: 'ECO', groups: 5 }],
  ])('throws invalid_config at construction for %s', (_label, keyFormat) => {
    expect(() => build({ keyFormat: keyFormat as LicenseProxyOptions['keyFormat'] })).toThrow(
      expect.objectContaining({
        name: 'LicenseError',
        code: 'invalid_config',
        message: expect.stringContaining('createLicenseProxy: keyFormat'),
      }),
    )
  })
})
