import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** A port nothing listens on right now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** The `next` CLI the app at `appDir` depends on. */
export function nextBin(appDir: string): string {
  return createRequire(join(appDir, 'package.json')).resolve('next/dist/bin/next')
}

export interface NextServer {
  /** `http://127.0.0.1:PORT` */
  origin: string
  process: ChildProcess
  stop(): Promise<void>
}

export interface NextServerOptions {
  appDir: string
  command: 'dev' | 'start'
  env: Record<string, string>
  /** Path fetched until it answers, to know the server is up. */
  readyPath: string
  timeoutMs?: number
}

/** Runs `next dev` or `next start` on 127.0.0.1 and a free port, in its own process group. */
export async function startNext(options: NextServerOptions): Promise<NextServer> {
  const port = await freePort()
  const origin = `http://127.0.0.1:${port}`
  const child = spawn(
    process.execPath,
    [nextBin(options.appDir), options.command, '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: options.appDir,
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        NODE_ENV: options.command === 'dev' ? 'development' : 'production',
        NEXT_TELEMETRY_DISABLED: '1',
        ...options.env,
      },
    },
  )
  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    process.kill(-child.pid, 'SIGTERM')
    await exited
  }
  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`next ${options.command} exited with ${child.exitCode}`)
    try {
      await fetch(`${origin}${options.readyPath}`, { signal: AbortSignal.timeout(30_000) })
      return { origin, process: child, stop }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  await stop()
  throw new Error(`next ${options.command} did not answer in time`)
}
