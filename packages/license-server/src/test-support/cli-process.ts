import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The real CLI entry, run from its TypeScript source by tsx in a child process. */
const packageDir = fileURLToPath(new URL('../..', import.meta.url))

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function spawnCli(args: string[], env: Record<string, string> = {}) {
  const { ECOSIRE_LICENSE_SECRET: _ignored, ...inherited } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: packageDir,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  const output = () => stdout
  return { child, exited, output }
}

export function waitFor(
  child: ChildProcess,
  output: () => string,
  pattern: RegExp,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(output())
      if (match) {
        child.stdout?.off('data', check)
        resolve(match[1] ?? match[0])
      }
    }
    child.stdout?.on('data', check)
    child.once('close', () => reject(new Error(`exited before printing ${pattern}`)))
    check()
  })
}
