import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createContext, runInContext } from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { verifySignature } from '../signing.js'
import { fakeUpstream, KEY, MASKED, ORIGIN, post, SECRET } from './test-support/fake-upstream.js'

const packageDir = fileURLToPath(new URL('../../..', import.meta.url))
const serverEntry = `${packageDir}dist/server/index.js`

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

/** Only the Web platform: no process, Buffer, require, or node: modules. */
function webGlobals(fetch: typeof globalThis.fetch): Record<string, unknown> {
  return {
    fetch,
    Request,
    Response,
    Headers,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    ReadableStream,
    AbortController,
    AbortSignal,
    DOMException,
    crypto: globalThis.crypto,
    setTimeout,
    clearTimeout,
    atob,
    btoa,
    console,
  }
}

describe('the proxy on a Workers/Deno-style runtime (run `pnpm build` first)', () => {
  it('has a built server entry', () => {
    expect(existsSync(serverEntry)).toBe(true)
  })

  it('serves `export default { fetch }` with no Node API', async () => {
    const bundle = await build({
      stdin: { contents: workerSource, resolveDir: packageDir, loader: 'js' },
      bundle: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      format: 'iife',
      globalName: 'worker',
      write: false,
      logLevel: 'silent',
    })
    const code = bundle.outputFiles.map((file) => file.text).join('\n')
    expect(code).not.toMatch(/\brequire\(|["']node:/)

    const upstream = fakeUpstream()
    const context = createContext(webGlobals(upstream.fetch as typeof globalThis.fetch))
    runInContext(code, context)
    expect(runInContext('typeof process + typeof Buffer + typeof require', context)).toBe(
      'undefinedundefinedundefined',
    )
    const worker = runInContext('worker.default', context) as {
      fetch(request: Request, env: Record<string, string>): Promise<Response>
    }
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
