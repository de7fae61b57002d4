import { describe, expect, it } from 'vitest'
import { json } from '../../test-support/json-response.js'
import { licenseSubject } from '../../tokens/claims.js'
import { generateSigningKeys } from '../../tokens/keys.js'
import { signLicenseToken } from '../../tokens/sign-license-token.js'
import { loadWorker, serverEntry, webGlobals } from '../test-support/worker-bundle.js'

const JWKS_URL = 'https://shop.example/api/license/jwks'

/** A Workers/Deno-style premium route behind the guard, keys from the proxy's JWKS. */
const workerSource = `
import { createLicenseGuard, requireEntitlement } from '${serverEntry}'
let guard
export default {
  async fetch(request) {
    guard ??= createLicenseGuard({ keys: '${JWKS_URL}', domain: 'shop.example' })
    const result = requireEntitlement(await guard(request), 'export')
    if (!result.ok) return result.response
    return new Response('id,total\\n1,42\\n', { headers: { 'content-type': 'text/csv' } })
  },
}
`

describe('the guard on a Workers/Deno-style runtime (run `pnpm build` first)', () => {
  it('checks tokens with no Node API, fetching the JWKS with the platform fetch', async () => {
    const keys = await generateSigningKeys()
    const fetched: string[] = []
    const fetch = async (input: RequestInfo | URL) => {
      fetched.push(String(input))
      return json(200, { keys: [keys.publicJwk] })
    }
    const { worker, code } = await loadWorker<{ fetch(request: Request): Promise<Response> }>(
      workerSource,
      webGlobals(fetch as typeof globalThis.fetch),
    )
    expect(code).not.toMatch(/\brequire\(|["']node:/)
    const iat = Math.floor(Date.now() / 1000)
    const claims = {
      iss: 'licensekit',
      sub: await licenseSubject('SHOP-A1B2-C3D4-E5F6-G7H8'),
      aud: 'shop.example',
      st: 'active',
      lexp: null,
      iat,
      exp: iat + 3600,
    }
    const call = (token?: string) =>
      worker.fetch(
        new Request('https://shop.example/api/export', {
          headers: token ? { authorization: `License ${token}` } : {},
        }),
      )

    const granted = await call(
      await signLicenseToken(keys.privateJwk, { ...claims, ent: { export: true } }),
    )
    expect(granted.status).toBe(200)
    expect(await granted.text()).toBe('id,total\n1,42\n')
    expect(fetched).toEqual([JWKS_URL])

    expect((await call()).status).toBe(401)
    const without = await call(await signLicenseToken(keys.privateJwk, { ...claims, ent: {} }))
    expect(without.status).toBe(403)
    expect(await without.json()).toMatchObject({ ok: false, error: { code: 'license_invalid' } })
  })
})
