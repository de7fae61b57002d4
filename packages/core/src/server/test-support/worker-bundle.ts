import { fileURLToPath } from 'node:url'
import { createContext, runInContext } from 'node:vm'
import { build } from 'esbuild'

export const packageDir = fileURLToPath(new URL('../../..', import.meta.url))
export const serverEntry = `${packageDir}dist/server/index.js`

/** Only the Web platform: no process, Buffer, require, or node: modules. */
export function webGlobals(fetch: typeof globalThis.fetch): Record<string, unknown> {
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

/** A Workers/Deno-style module in `source`, bundled and run in a context with `globals` only. */
export async function loadWorker<T>(
  source: string,
  globals: Record<string, unknown>,
): Promise<{ worker: T; code: string; context: ReturnType<typeof createContext> }> {
  const bundle = await build({
    stdin: { contents: source, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'iife',
    globalName: 'worker',
    write: false,
    logLevel: 'silent',
  })
  const code = bundle.outputFiles.map((file) => file.text).join('\n')
  const context = createContext(globals)
  runInContext(code, context)
  return { worker: runInContext('worker.default', context) as T, code, context }
}
