import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)

/** Bundles `contents` for the browser as a consumer's bundler would (the exports map, no paths). */
function bundleForBrowser(contents: string, minify = false) {
  return build({
    stdin: { contents, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    minify,
    platform: 'browser',
    tsconfigRaw: {},
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
}

describe('the built package (run `pnpm build` first)', () => {
  it('has been built', () => {
    expect(existsSync(`${packageDir}dist/index.js`)).toBe(true)
    expect(existsSync(`${packageDir}dist/server/index.js`)).toBe(true)
  })

  it('serves @licensekit/core/server to plain Node through its exports map', async () => {
    const script = `
      import { signPayload } from '@licensekit/core/server'
      import { normalizeLicenseKey } from '@licensekit/core'
      const payload = { key: normalizeLicenseKey('shop a1b2 c3d4 e5f6 g7h8'), domain: 'mystore.myshopify.com', timestamp: '1767225600' }
      console.log(await signPayload('test-secret', payload))
    `
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
    })
    expect(stdout.trim()).toBe('cb73196f2eed4234fb1eaaf911ec14902d00772b6342d85ee4487f4ef3c002f5')
  })

  it('bundles the browser entry with no node: import and no server code', async () => {
    const result = await bundleForBrowser("export * from '@licensekit/core'")
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((path) => path.endsWith('core/dist/index.js'))).toBe(true)
    expect(inputs.filter((path) => path.includes('/server/'))).toEqual([])
    const code = result.outputFiles.map((file) => file.text).join('\n')
    expect(code).not.toMatch(/["']node:/)
    expect(code).not.toContain('signPayload')
    expect(code).not.toContain('X-Ecosire-Signature')
  })

  it('resolves @licensekit/core/server to the node:crypto entry under Node', async () => {
    const script = "console.log(import.meta.resolve('@licensekit/core/server'))"
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
    })
    expect(stdout.trim()).toMatch(/\/dist\/server\/node\.js$/)
  })

  it('bundles the server entry for a worker runtime without node:crypto', async () => {
    const result = await build({
      stdin: {
        contents: "export * from '@licensekit/core/server'",
        resolveDir: packageDir,
        loader: 'js',
      },
      bundle: true,
      platform: 'neutral',
      conditions: ['worker', 'import'],
      // What a consumer's bundler sees: the exports map, not this package's own tsconfig paths.
      tsconfigRaw: {},
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const inputs = Object.keys(result.metafile.inputs)
    expect(inputs.some((path) => path.endsWith('core/dist/server/index.js'))).toBe(true)
    expect(inputs.filter((path) => path.includes('hmac-node'))).toEqual([])
    expect(result.outputFiles.map((file) => file.text).join('\n')).not.toMatch(/["']node:/)
  })

  it('keeps the opt-ins out of a client that does not import them', async () => {
    const bundle = async (contents: string) => {
      const result = await bundleForBrowser(contents, true)
      // What ends up in the bundle: a module read for its re-exports only adds no bytes.
      const [output] = Object.values(result.metafile.outputs)
      return Object.entries(output?.inputs ?? {})
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path.split('/dist/')[1])
    }
    const plain = await bundle(
      "import { createLicenseClient } from '@licensekit/core'\n" +
        "createLicenseClient({ endpoint: '/api/license' }).start()",
    )
    expect(plain).not.toContain('client/live-events.js')
    expect(plain).not.toContain('client/device-id.js')
    expect(plain).not.toContain('client/token-access.js')
    expect(plain).not.toContain('client/receipt-check.js')
    expect(plain).not.toContain('tokens/verify-license-token.js')
    const opted = await bundle(
      "import { createLicenseClient } from '@licensekit/core'\n" +
        "import { liveEvents } from '@licensekit/core/live'\n" +
        "import { deviceBinding } from '@licensekit/core/device'\n" +
        "import { tokenAccess } from '@licensekit/core/token'\n" +
        "import { verifyReceipts } from '@licensekit/core/receipts'\n" +
        "const receipts = verifyReceipts({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' })\n" +
        "const client = createLicenseClient({ endpoint: '/api/license', events: liveEvents(), binding: deviceBinding(), receipts })\n" +
        'tokenAccess(client).fetch("/api/x")',
    )
    expect(opted).toEqual(
      expect.arrayContaining([
        'client/live-events.js',
        'client/device-id.js',
        'client/token-access.js',
        'client/receipt-check.js',
        'tokens/verify-license-token.js',
      ]),
    )
  })
})
