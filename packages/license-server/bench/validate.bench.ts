/**
 * Validate throughput of the real CLI server on loopback: `pnpm --filter @licensekit/license-server bench`.
 * Keep-alive load with bounded concurrency for BENCH_SECONDS (default 10); prints requests/s and
 * p50/p99 latency. The server runs in its own process (`licensekit-server start`, from source),
 * logging to /dev/null. Needs no network beyond 127.0.0.1.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signPayload } from '@licensekit/core/server'
import { openLicenseStore } from '../src/index.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const SECRET = 'bench-secret-0123456789abcdef'
const packageDir = fileURLToPath(new URL('..', import.meta.url))

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

function post(agent: Agent, url: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-ecosire-signature': signature,
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

async function startServer(db: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', 'start', '--db', db, '--port', '0'],
    {
      cwd: packageDir,
      env: { ...process.env, ECOSIRE_LICENSE_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  )
  let output = ''
  for await (const chunk of child.stdout) {
    output += chunk
    const match = /\(API (\S+),/.exec(output)
    if (match?.[1]) return { child, apiBase: match[1] }
  }
  throw new Error(`the server exited before listening: ${output}`)
}

async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'licensekit-bench-'))
  const db = join(dir, 'bench.db')
  const store = openLicenseStore(db)
  const [key = ''] = store.issue({ prefix: 'BENCH', limit: 3 })
  store.activate(key, 'bench.example')
  store.close()

  const { child, apiBase } = await startServer(db)
  const url = new URL(`${apiBase}/licenses/validate`)
  const payload = { key, domain: 'bench.example', timestamp: String(Math.floor(Date.now() / 1000)) }
  const body = JSON.stringify(payload)
  const signature = await signPayload(SECRET, payload)
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })

  const latencies: number[] = []
  let failures = 0
  const started = performance.now()
  const deadline = started + SECONDS * 1000
  const worker = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now()
      const status = await post(agent, url, body, signature)
      latencies.push(performance.now() - sent)
      if (status !== 200) failures++
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const elapsed = (performance.now() - started) / 1000
  agent.destroy()
  child.kill('SIGTERM')
  await once(child, 'close')
  rmSync(dir, { recursive: true, force: true })

  const sorted = latencies.sort((a, b) => a - b)
  console.log(
    `validate: ${sorted.length} requests in ${elapsed.toFixed(1)} s, ${CONCURRENCY} keep-alive connections, ${failures} non-200`,
  )
  console.log(`  ${(sorted.length / elapsed).toFixed(0)} requests/s`)
  console.log(
    `  p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`,
  )
}

await run()
