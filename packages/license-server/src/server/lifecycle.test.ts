import { Agent, request as httpRequest } from 'node:http'
import { isLicenseError } from '@licensekit/core'
import { signPayload } from '@licensekit/core/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openLicenseStore } from '../store/license-store.js'
import { postOnContinue } from '../test-support/continue-post.js'
import { SECRET, signedPost, T0 } from '../test-support/signed-post.js'
import { makeTempDb, type TempDb } from '../test-support/temp-db.js'
import { createLicenseServer } from './create-license-server.js'

let temp: TempDb
const now = () => T0

beforeEach(() => {
  temp = makeTempDb()
})

afterEach(() => {
  temp.remove()
})

const start = () => createLicenseServer({ db: temp.path, secret: SECRET, now, log: false })

describe('configuration', () => {
  it('refuses a secret shorter than 16 bytes with invalid_config', () => {
    for (const secret of ['', 'fifteen-bytes!!', 'é'.repeat(7)]) {
      let caught: unknown
      try {
        createLicenseServer({ db: ':memory:', secret, log: false })
      } catch (error) {
        caught = error
      }
      expect(isLicenseError(caught) && caught.code).toBe('invalid_config')
    }
  })

  it('accepts a 16-byte secret and serves requests through the handler without listening', async () => {
    const server = createLicenseServer({ db: ':memory:', secret: 'é'.repeat(8), now, log: false })
    const key = server.store.issue({ prefix: 'DEV', limit: 1 })[0] as string
    const payload = { key, domain: 'a.example', timestamp: String(T0 / 1000) }
    const response = await server.handler(
      new Request('http://license.test/api/licenses/validate', {
        method: 'POST',
        headers: { 'x-ecosire-signature': await signPayload('é'.repeat(8), payload) },
        body: JSON.stringify(payload),
      }),
    )
    expect(response.status).toBe(200)
    await server.close()
  })

  it('refuses to listen twice and reports a loopback origin', async () => {
    const server = start()
    const address = await server.listen({ host: '127.0.0.1' })
    expect(address.origin).toBe(`http://127.0.0.1:${address.port}`)
    expect(address.apiBase).toBe(`${address.origin}/api`)
    await expect(server.listen()).rejects.toThrow(/already started/)
    await server.close()
    await server.close()
  })
})

describe('storage', () => {
  it('keeps licenses and activations across a restart', async () => {
    const first = start()
    const { apiBase } = await first.listen()
    const key = first.store.issue({ prefix: 'SHOP', limit: 2 })[0] as string
    await signedPost(apiBase, 'activate', key, 'a.example')
    await first.close()

    const second = start()
    const restarted = await second.listen()
    const answer = await signedPost(restarted.apiBase, 'validate', key, 'a.example')
    expect(answer.body).toMatchObject({ valid: true, license: { activationsCount: 1 } })
    await second.close()
  })

  it('sees changes another process makes to the file while it runs', async () => {
    const server = start()
    const { apiBase } = await server.listen()
    const admin = openLicenseStore(temp.path, { now })
    const key = admin.issue({ prefix: 'SHOP', limit: 1 })[0] as string
    expect((await signedPost(apiBase, 'validate', key, 'a.example')).status).toBe(200)
    admin.revoke(key)
    expect((await signedPost(apiBase, 'validate', key, 'a.example')).body).toEqual({
      valid: false,
      message: 'License revoked',
    })
    admin.close()
    await server.close()
  })
})

describe('HTTP details', () => {
  it('serves a request through node:http without building a fetch Request or Response', async () => {
    const server = start()
    const { apiBase } = await server.listen()
    const key = server.store.issue({ prefix: 'SHOP', limit: 1 })[0] as string
    const payload = { key, domain: 'a.example', timestamp: String(T0 / 1000) }
    const headers = { 'x-ecosire-signature': await signPayload(SECRET, payload) }
    const built = { requests: 0, responses: 0 }
    class CountingRequest extends Request {
      constructor(...args: ConstructorParameters<typeof Request>) {
        super(...args)
        built.requests++
      }
    }
    class CountingResponse extends Response {
      constructor(...args: ConstructorParameters<typeof Response>) {
        super(...args)
        built.responses++
      }
    }
    vi.stubGlobal('Request', CountingRequest)
    vi.stubGlobal('Response', CountingResponse)
    try {
      const url = `${apiBase}/licenses/validate`
      const answer = await postOnContinue(url, JSON.stringify(payload), headers, () => {})
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.text)).toMatchObject({ valid: true })
    } finally {
      vi.unstubAllGlobals()
    }
    expect(built).toEqual({ requests: 0, responses: 0 })
    await server.close()
  })

  it('answers 413 to an oversized chunked body without reading all of it', async () => {
    const server = start()
    const { port } = await server.listen()
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { port, host: '127.0.0.1', method: 'POST', path: '/api/licenses/validate' },
        (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
        },
      )
      req.on('error', reject)
      req.write('x'.repeat(5000))
    })
    expect(status).toBe(413)
    await server.close()
  })

  it('lets an in-flight request finish on close, and does not wait for idle keep-alive sockets', async () => {
    const server = start()
    const { apiBase } = await server.listen()
    const key = server.store.issue({ prefix: 'SHOP', limit: 1 })[0] as string
    const agent = new Agent({ keepAlive: true })
    const payload = { key, domain: 'a.example', timestamp: String(T0 / 1000) }
    const headers = { 'x-ecosire-signature': await signPayload(SECRET, payload) }
    const url = `${apiBase}/licenses/validate`
    const body = JSON.stringify(payload)
    const idle = await postOnContinue(url, body, headers, () => {}, agent)
    expect(idle.status).toBe(200)

    let closing: Promise<void> = Promise.resolve()
    let closed = false
    const inFlight = await postOnContinue(
      url,
      body,
      headers,
      () => {
        closing = server.close().then(() => {
          closed = true
        })
      },
      agent,
    )
    expect(inFlight.status).toBe(200)
    expect(inFlight.connection).toBe('close')
    expect(JSON.parse(inFlight.text)).toMatchObject({ valid: true })
    await closing
    expect(closed).toBe(true)
    agent.destroy()
  })
})

describe('default request log', () => {
  it('buffers request lines for stderr: one chunk a second, the rest when the server closes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const written: string[] = []
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    try {
      const server = createLicenseServer({ db: temp.path, secret: SECRET, now })
      const { apiBase } = await server.listen()
      const key = server.store.issue({ prefix: 'SHOP', limit: 1 })[0] as string
      await signedPost(apiBase, 'validate', key, 'a.example')
      await fetch(`${apiBase}/nowhere`)
      expect(written).toEqual([])
      vi.advanceTimersByTime(1000)
      expect(written).toHaveLength(1)
      expect(written[0]).toMatch(
        /^POST \/api\/licenses\/validate 200 \d+ms\nGET \/api\/nowhere 404 \d+ms\n$/,
      )
      await signedPost(apiBase, 'activate', key, 'b.example')
      await server.close()
      expect(written).toHaveLength(2)
      expect(written[1]).toMatch(/^POST \/api\/licenses\/activate 200 \d+ms\n$/)
    } finally {
      write.mockRestore()
      vi.useRealTimers()
    }
  })
})
