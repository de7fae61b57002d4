import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateSigningKeys } from '@licensekit/core/server'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoServer } from '../server/demo-server.js'

const appDir = fileURLToPath(new URL('..', import.meta.url))
const SECRET = `secrecy-test-secret-${crypto.randomUUID()}`

/** Strings only server-side code contains (minifiers keep string literals, not names). */
const SERVER_MARKERS = [
  /x-ecosire-signature/i,
  /\bHMAC\b/,
  /createLicenseProxy/,
  /canonicalMessage/,
  /toNodeHandler/,
  /Invalid signature/,
  /\/licenses\//,
  /better-sqlite3/,
  /ECOSIRE_LICENSE_SECRET/,
]

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

/** Runs `body` with extra environment variables, then restores the environment. */
async function withEnv(vars: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  Object.assign(process.env, vars)
  try {
    await body()
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

describe('the built app', () => {
  let outDir: string
  let assets: { file: string; text: string }[]
  let keys: Awaited<ReturnType<typeof generateSigningKeys>>

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'licensekit-secrecy-'))
    keys = await generateSigningKeys()
    // Everything a careless setup could leak is in the environment of the build.
    await withEnv(
      {
        NODE_ENV: 'production',
        ECOSIRE_LICENSE_SECRET: SECRET,
        VITE_ECOSIRE_LICENSE_SECRET: SECRET,
        LICENSEKIT_RECEIPT_PRIVATE_JWK: JSON.stringify(keys.privateJwk),
        LICENSEKIT_RECEIPT_PUBLIC_JWK: JSON.stringify(keys.publicJwk),
      },
      async () => {
        await build({
          root: appDir,
          logLevel: 'silent',
          build: { outDir, emptyOutDir: true },
        })
      },
    )
    assets = filesUnder(outDir).map((file) => ({ file, text: readFileSync(file, 'utf8') }))
  })

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true })
  })

  it('is the real app: the bundle holds the client and the gated features', () => {
    const bundle = assets.map(({ text }) => text).join('\n')
    expect(assets.some(({ file }) => file.endsWith('.js'))).toBe(true)
    const expected = ['data-licensed-feature', 'licensekit-config', 'validate', 'License key']
    expect(expected.filter((text) => !bundle.includes(text))).toEqual([])
  })

  it('contains neither the secret nor the receipt private key', () => {
    const leaks = assets
      .filter(({ text }) => text.includes(SECRET) || text.includes(keys.privateJwk.d ?? '-'))
      .map(({ file }) => file)
    expect(leaks).toEqual([])
  })

  it('contains no code from @licensekit/core/server or the license server', () => {
    const found = assets.flatMap(({ file, text }) =>
      SERVER_MARKERS.filter((marker) => marker.test(text)).map((marker) => `${file}: ${marker}`),
    )
    expect(found).toEqual([])
  })

  it('is served with the public configuration only', async () => {
    const demo = await createDemoServer({
      secret: SECRET,
      upstream: 'http://127.0.0.1:9/api',
      domain: 'localhost',
      receiptKeys: keys,
      distDir: outDir,
    })
    try {
      for (const path of ['/', '/settings']) {
        const html = await (await fetch(`${demo.url}${path}`)).text()
        expect(html).toContain('id="licensekit-config"')
        expect(html).toContain(keys.publicJwk.x)
        expect(html.includes(SECRET)).toBe(false)
        expect(html.includes(keys.privateJwk.d ?? '-')).toBe(false)
        expect(/"d"\s*:/.test(html)).toBe(false)
      }
    } finally {
      await demo.close()
    }
  })
})
