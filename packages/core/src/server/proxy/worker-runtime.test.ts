import { existsSync } from 'node:fs'
import { runInContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { verifySignature } from '../signing.js'
import { loadWorker, serverEntry, webGlobals } from '../test-support/worker-bundle.js'
import { fakeUpstream, KEY, MASKED, ORIGIN, post, SECRET } from './test-support/fake-upstream.js'

/** A Workers/Deno-style module: `export default { fetch }`, configured from `env`. */
const workerSource = `
import { createLicenseProxy } from '${serverEntry}'
let proxy
export default {
  fetch(request, env) {
    proxy ??= createLicenseProxy({
      secret: env.LICENSE_SECRET,
      domain: 'shop.example',
      upstream: 'https://license.test/api',
      allowedOrigins: ['https://app.example'],
    })
    return proxy(request, { clientAddress: request.headers.get('cf-connecting-ip') ?? undefined })
  },
}
`

describe('the proxy on a Workers/Deno-style runtime (run `pnpm build` first)', () => {
  it('has a built server entry', () => {
    expect(existsSync(serverEntry)).toBe(true)
  })

  it('serves `export default { fetch }` with no Node API', async () => {
    const upstream = fakeUpstream()
    const { worker, code, context } = await loadWorker<{
      fetch(request: Request, env: Record<string, string>): Promise<Response>
    }>(workerSource, webGlobals(upstream.fetch as typeof globalThis.fetch))
    expect(code).not.toMatch(/\brequire\(|["']node:/)
    expect(runInContext('typeof process + typeof Buffer + typeof require', context)).toBe(
      'undefinedundefinedundefined',
    )
    const env = { LICENSE_SECRET: SECRET }

    const response = await worker.fetch(
      post('validate', { key: KEY }, { headers: { origin: 'https://app.example' } }),
      env,
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example')
    const body = (await response.json()) as { ok: boolean; license: { key: string } }
    expect(body.ok).toBe(true)
    expect(body.license.key).toBe(MASKED)
    const [call] = upstream.calls
    expect(call?.body).toMatchObject({ key: KEY, domain: 'shop.example' })
    expect(
      await verifySignature(SECRET, call?.body as Record<string, string>, call?.signature ?? ''),
    ).toBe(true)

    const refused = await worker.fetch(
      new Request(`${ORIGIN}/api/license/validate`, { method: 'GET' }),
      env,
    )
    expect(refused.status).toBe(405)
    expect(upstream.calls).toHaveLength(1)
  })
})
