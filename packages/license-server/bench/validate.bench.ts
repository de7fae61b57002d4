/**
 * Validate throughput of the real CLI server (`licensekit-server start` from the built bin, as
 * installed, its own process) next to a bare node:http + better-sqlite3 endpoint with the same checks and queries
 * (bench/bare-endpoint.ts, its own process), on one SQLite file, measured in one run:
 * alternating one-second slices of keep-alive load. Prints requests/s, p50/p99 latency, CPU µs
 * per request of each server process (from /proc/PID/stat, the kernel's accounting) and the
 * ratio. Run: `pnpm build && pnpm --filter @licensekit/license-server bench` (BENCH_SECONDS per side, default
 * 10; BENCH_CONCURRENCY, default 16). Needs no network beyond 127.0.0.1; Linux for /proc.
 * BENCH_CPU_PROF=DIR: both server processes write a V8 CPU profile there on exit; summarise one
 * with `tsx bench/profile-summary.ts DIR/<file>` from the repository root.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { signPayload } from '@licensekit/core/server'
import { openLicenseStore } from '../src/index.js'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16)
const SECRET = 'bench-secret-0123456789abcdef'
const TICKS_PER_SECOND = 100
const packageDir = fileURLToPath(new URL('..', import.meta.url))

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** User + system CPU time of a process in µs, from /proc/PID/stat (fields 14 and 15). */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6
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

interface Target {
  name: string
  child: ChildProcess
  url: URL
  latencies: number[]
  failures: number
  elapsed: number
  cpu: number
}

/** `--cpu-prof` into BENCH_CPU_PROF, when set. */
const PROFILE_ARGS = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : []

async function start(name: string, args: string[], env: Record<string, string>): Promise<Target> {
  const child = spawn(process.execPath, [...PROFILE_ARGS, ...args], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  let output = ''
  for await (const chunk of child.stdout) {
    output += chunk
    const match = /\(API (\S+),/.exec(output)
    if (match?.[1]) {
      const url = new URL(`${match[1]}/licenses/validate`)
      return { name, child, url, latencies: [], failures: 0, elapsed: 0, cpu: 0 }
    }
  }
  throw new Error(`${name} exited before listening: ${output}`)
}

async function slice(target: Target, seconds: number, body: string, signature: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const pid = target.child.pid ?? 0
  const cpuBefore = cpuMicros(pid)
  const started = performance.now()
  const deadline = started + seconds * 1000
  const latencies: number[] = []
  let failures = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const sent = performance.now()
        const status = await post(agent, target.url, body, signature)
        latencies.push(performance.now() - sent)
        if (status !== 200) failures++
      }
    }),
  )
  agent.destroy()
  return {
    latencies,
    failures,
    elapsed: (performance.now() - started) / 1000,
    cpu: cpuMicros(pid) - cpuBefore,
  }
}

/** The checkout's commit, or `unknown` outside a git checkout. */
function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageDir })
      .toString()
      .trim()
  } catch {
    return 'unknown'
  }
}

async function run(): Promise<void> {
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ')
  const dir = mkdtempSync(join(tmpdir(), 'licensekit-bench-'))
  const db = join(dir, 'bench.db')
  const store = openLicenseStore(db)
  const [key = ''] = store.issue({ prefix: 'BENCH', limit: 3 })
  store.activate(key, 'bench.example')
  store.close()

  const targets = [
    await start(
      'licensekit-server',
      ['bin/licensekit-server.js', 'start', '--db', db, '--port', '0'],
      {
        ECOSIRE_LICENSE_SECRET: SECRET,
      },
    ),
    await start('bare node:http + better-sqlite3', ['--import', 'tsx', 'bench/bare-endpoint.ts'], {
      BARE_DB: db,
      BARE_SECRET: SECRET,
    }),
  ]
  const payload = { key, domain: 'bench.example', timestamp: String(Math.floor(Date.now() / 1000)) }
  const body = JSON.stringify(payload)
  const signature = await signPayload(SECRET, payload)
  for (const target of targets) await slice(target, 1, body, signature)
  for (let i = 0; i < SECONDS; i++) {
    for (const target of targets) {
      const result = await slice(target, 1, body, signature)
      target.latencies.push(...result.latencies)
      target.failures += result.failures
      target.elapsed += result.elapsed
      target.cpu += result.cpu
    }
  }
  for (const target of targets) {
    target.child.kill('SIGTERM')
    await once(target.child, 'close')
  }
  rmSync(dir, { recursive: true, force: true })

  console.log(
    `validate: ${SECONDS} s per server in alternating 1 s slices, ${CONCURRENCY} keep-alive connections, node ${process.version}, commit ${commit()}, load average before the run ${load}`,
  )
  const rates = targets.map((target) => {
    const sorted = target.latencies.sort((a, b) => a - b)
    const rate = sorted.length / target.elapsed
    console.log(
      `${target.name.padEnd(32)} ${rate.toFixed(0).padStart(6)} req/s  p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  CPU ${(target.cpu / sorted.length).toFixed(0)} µs/req  (${sorted.length} requests, ${target.failures} non-200)`,
    )
    return { rate, cpu: target.cpu / sorted.length }
  })
  const [server, bare] = rates
  if (server && bare) {
    console.log(`ratio licensekit-server / bare endpoint: ${(server.rate / bare.rate).toFixed(2)}`)
    console.log(`CPU per request, licensekit-server / bare: ${(server.cpu / bare.cpu).toFixed(2)}`)
  }
  if (targets.some((target) => target.failures > 0)) process.exitCode = 1
}

await run()
