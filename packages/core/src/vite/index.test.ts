import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger, createServer, type InlineConfig, preview } from 'vite'
import { afterEach, describe, expect, it } from 'vitest'
import { createLicenseProxy } from '../server/proxy/create-license-proxy.js'
import {
  fakeUpstream,
  json,
  KEY,
  MASKED,
  testOptions,
} from '../server/proxy/test-support/fake-upstream.js'
import { licensekitDev } from './index.js'

const cleanups: (() => Promise<void> | void)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function appDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'licensekit-vite-'))
  cleanups.push(() => rmSync(root, { recursive: true, force: true }))
  const page = '<!doctype html><html><body><p id="app">the page</p></body></html>'
  writeFileSync(join(root, 'index.html'), page)
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'dist', 'index.html'), page)
  return root
}

function baseConfig(root: string, plugin: ReturnType<typeof licensekitDev>): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'silent',
    plugins: [plugin],
    server: { host: '127.0.0.1', port: 0, ws: false },
    preview: { host: '127.0.0.1', port: 0 },
  }
}

async function devServer(config: InlineConfig): Promise<string> {
  const server = await createServer(config)
  cleanups.push(() => server.close())
  await server.listen()
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('the dev server has no URL')
  return url.replace(/\/$/, '')
}

async function previewServer(config: InlineConfig): Promise<string> {
  const server = await preview(config)
  cleanups.push(() => server.close())
  const url = server.resolvedUrls?.local[0]
  if (!url) throw new Error('the preview server has no URL')
  return url.replace(/\/$/, '')
}

function validate(origin: string, pageOrigin = origin): Promise<Response> {
  return fetch(`${origin}/api/license/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: pageOrigin },
    body: JSON.stringify({ key: KEY }),
  })
}

describe('licensekitDev', () => {
  it.each([
    ['dev', devServer],
    ['preview', previewServer],
  ])(
    'serves the proxy on the %s server and leaves every other path to Vite',
    async (_label, start) => {
      const upstream = fakeUpstream()
      const origin = await start(baseConfig(appDir(), licensekitDev(testOptions(upstream.fetch))))
      const response = await validate(origin)
      expect(response.status).toBe(200)
      expect(((await response.json()) as { license: { key: string } }).license.key).toBe(MASKED)
      expect(upstream.calls).toHaveLength(1)
      const page = await fetch(`${origin}/`)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('the page')
    },
  )

  it('refuses a foreign Origin on the dev server', async () => {
    const upstream = fakeUpstream()
    const origin = await devServer(baseConfig(appDir(), licensekitDev(testOptions(upstream.fetch))))
    const response = await validate(origin, 'https://evil.example')
    expect(response.status).toBe(403)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'forbidden_origin',
    )
    expect(upstream.calls).toHaveLength(0)
  })

  it('takes a proxy you created', async () => {
    const upstream = fakeUpstream()
    const proxy = createLicenseProxy(testOptions(upstream.fetch, { basePath: '/licensing' }))
    const origin = await devServer(baseConfig(appDir(), licensekitDev(proxy)))
    const response = await fetch(`${origin}/licensing/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ key: KEY }),
    })
    expect(response.status).toBe(200)
    expect(upstream.calls).toHaveLength(1)
  })

  it("sends the proxy's log lines to Vite's logger when no log is given", async () => {
    const upstream = fakeUpstream(() => json(500, { message: 'boom' }))
    const warnings: string[] = []
    const customLogger = createLogger('silent')
    customLogger.warn = (line) => warnings.push(line)
    const { log: _none, ...options } = testOptions(upstream.fetch)
    const origin = await devServer({
      ...baseConfig(appDir(), licensekitDev(options)),
      customLogger,
    })
    expect((await validate(origin)).status).toBe(503)
    expect(warnings.join('\n')).toContain('licensekit proxy')
  })

  it('refuses unusable options when the server starts', async () => {
    const plugin = licensekitDev({ ...testOptions(fakeUpstream().fetch), secret: 'short' })
    await expect(createServer(baseConfig(appDir(), plugin))).rejects.toThrow(/secret/)
  })
})
