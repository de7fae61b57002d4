// `pnpm dev`: the demo. Starts the local license server and the Vite dev server of
// examples/vite-app (which serves the proxy through licensekitDev), prints the app URL and the
// demo keys; Ctrl-C stops both.
//
// State lives in `.licensekit/` (git-ignored): the SQLite file, the demo keys, and, when
// ECOSIRE_LICENSE_SECRET is not set, a generated secret and receipt key pair (mode 0600) that
// later runs reuse. The secret goes to the license server and to the Vite process's proxy,
// never to the browser. The license server sends its webhooks to that proxy, signed with
// LICENSEKIT_WEBHOOK_SECRET (generated into `.licensekit/webhook-secret` when not set).
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const stateDir = join(root, '.licensekit')
const appDir = join(root, 'examples', 'vite-app')
const cliPath = join(root, 'packages', 'license-server', 'bin', 'licensekit-server.js')
const dbPath = join(stateDir, 'licenses.db')
const keysPath = join(stateDir, 'demo-keys.json')

const env = process.env
const host = '127.0.0.1'
const ports = {
  server: portFromEnv('LICENSEKIT_SERVER_PORT', 4010),
  app: portFromEnv('LICENSEKIT_APP_PORT', 5173),
}
const domain = env.LICENSEKIT_DOMAIN || 'localhost'
const heartbeatMs = env.LICENSEKIT_HEARTBEAT_MS || String(5 * 60_000)
const color = process.stdout.isTTY && !env.NO_COLOR
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text)

function portFromEnv(name, fallback) {
  const raw = env[name]
  if (!raw) return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number`)
  return port
}

function fail(message) {
  console.error(`pnpm dev: ${message}`)
  process.exit(1)
}

// ── build ────────────────────────────────────────────────────────────────────────────────

function newestSource(dir) {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test\.tsx?$/.test(entry.name)) continue
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

function needsBuild() {
  for (const name of ['core', 'react', 'license-server', 'redis']) {
    const dir = join(root, 'packages', name)
    const built = join(dir, 'dist', 'index.js')
    if (!existsSync(built)) return `packages/${name} has no dist/`
    if (newestSource(join(dir, 'src')) > statSync(built).mtimeMs) {
      return `packages/${name}/src changed since the last build`
    }
  }
  return null
}

function pnpm(args) {
  const execPath = env.npm_execpath
  if (execPath && /pnpm/.test(execPath) && /\.[cm]?js$/.test(execPath)) {
    return spawnSync(process.execPath, [execPath, ...args], { cwd: root, stdio: 'inherit' })
  }
  const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return spawnSync('npx', ['-y', packageManager, ...args], { cwd: root, stdio: 'inherit' })
}

const stale = needsBuild()
if (stale) {
  console.log(`${stale}: building the packages first (pnpm build)…`)
  const result = pnpm(['build'])
  if (result.status !== 0) fail('pnpm build failed')
}

// ── secrets and demo keys ────────────────────────────────────────────────────────────────

mkdirSync(stateDir, { recursive: true, mode: 0o700 })

/** Reads `.licensekit/NAME`, or writes `create()` there (mode 0600) on first use. */
async function persisted(name, create) {
  const path = join(stateDir, name)
  if (existsSync(path)) return readFileSync(path, 'utf8')
  const value = await create()
  writeFileSync(path, value, { mode: 0o600, flag: 'wx' })
  return value
}

const secret =
  env.ECOSIRE_LICENSE_SECRET ||
  (await persisted('secret', () => randomBytes(32).toString('hex'))).trim()

const webhookSecret =
  env.LICENSEKIT_WEBHOOK_SECRET ||
  (await persisted('webhook-secret', () => randomBytes(32).toString('hex'))).trim()

let receiptKeys
if (env.LICENSEKIT_RECEIPT_PRIVATE_JWK || env.LICENSEKIT_RECEIPT_PUBLIC_JWK) {
  receiptKeys = {
    privateJwk: env.LICENSEKIT_RECEIPT_PRIVATE_JWK ?? '',
    publicJwk: env.LICENSEKIT_RECEIPT_PUBLIC_JWK ?? '',
  }
} else {
  const stored = await persisted('receipt-keys.json', async () => {
    const coreServer = pathToFileURL(join(root, 'packages', 'core', 'dist', 'server', 'index.js'))
    const { generateSigningKeys } = await import(coreServer.href)
    return `${JSON.stringify(await generateSigningKeys())}\n`
  })
  const { privateJwk, publicJwk } = JSON.parse(stored)
  receiptKeys = { privateJwk: JSON.stringify(privateJwk), publicJwk: JSON.stringify(publicJwk) }
}

function seedDemoKeys() {
  const result = spawnSync(process.execPath, [cliPath, 'seed-demo', '--json', '--db', dbPath], {
    cwd: root,
    encoding: 'utf8',
  })
  if (result.status !== 0) fail(`seeding the demo keys failed:\n${result.stderr}`)
  writeFileSync(keysPath, result.stdout, { mode: 0o600 })
  return JSON.parse(result.stdout)
}

/** Keys seeded before licenses had features (no `features` field) are seeded again. */
function storedDemoKeys() {
  if (!existsSync(dbPath) || !existsSync(keysPath)) return null
  const stored = JSON.parse(readFileSync(keysPath, 'utf8'))
  return stored.every((license) => Array.isArray(license.features)) ? stored : null
}

const demoKeys = storedDemoKeys() ?? seedDemoKeys()

// ── processes ────────────────────────────────────────────────────────────────────────────

const children = []
let stopping = false

function pipeLines(stream, label, write) {
  createInterface({ input: stream }).on('line', (line) => write(`${label} ${line}\n`))
}

function start(name, labelColor, command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  const label = paint(labelColor, `[${name}]`)
  pipeLines(child.stdout, label, (text) => process.stdout.write(text))
  pipeLines(child.stderr, label, (text) => process.stderr.write(text))
  const entry = { name, child, exited: false }
  child.on('exit', (code, signal) => {
    entry.exited = true
    // A Ctrl-C reaches the children too; give our own handler the chance to run first.
    setTimeout(() => {
      if (stopping) return
      console.error(`pnpm dev: the ${name} stopped (${signal ?? `exit code ${code}`}); stopping.`)
      void stop(1)
    }, 200)
  })
  child.on('error', (error) => {
    if (!stopping) fail(`could not start the ${name}: ${error.message}`)
  })
  children.push(entry)
  return entry
}

async function waitForHttp(entry, url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (entry.exited) throw new Error(`the ${entry.name} exited during start-up`)
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) })
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 150))
    }
  }
  throw new Error(`the ${entry.name} did not answer at ${url} within ${timeoutMs / 1000} s`)
}

async function stop(code) {
  if (stopping) return
  stopping = true
  const alive = children.filter((entry) => !entry.exited)
  await Promise.all(
    alive.map(
      (entry) =>
        new Promise((resolve) => {
          const force = setTimeout(() => entry.child.kill('SIGKILL'), 5000)
          entry.child.once('exit', () => {
            clearTimeout(force)
            resolve()
          })
          entry.child.kill('SIGTERM')
        }),
    ),
  )
  process.exit(code)
}

process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))
process.on('exit', () => {
  for (const entry of children) if (!entry.exited) entry.child.kill('SIGKILL')
})

const { ECOSIRE_LICENSE_SECRET: _secret, ...envWithoutSecret } = env
delete envWithoutSecret.LICENSEKIT_RECEIPT_PRIVATE_JWK
delete envWithoutSecret.LICENSEKIT_WEBHOOK_SECRET

const serverOrigin = `http://${host}:${ports.server}`
const appUrl = `http://localhost:${ports.app}`

try {
  const server = start(
    'license-server',
    '36',
    process.execPath,
    [
      cliPath,
      'start',
      '--port',
      String(ports.server),
      '--host',
      host,
      '--db',
      dbPath,
      '--webhook-url',
      `${appUrl}/api/license/webhook`,
    ],
    {
      cwd: root,
      env: {
        ...envWithoutSecret,
        ECOSIRE_LICENSE_SECRET: secret,
        LICENSEKIT_WEBHOOK_SECRET: webhookSecret,
      },
    },
  )
  await waitForHttp(server, `${serverOrigin}/`)

  const app = start(
    'app',
    '32',
    process.execPath,
    [join(appDir, 'node_modules', 'vite', 'bin', 'vite.js'), '--port', String(ports.app)],
    {
      cwd: appDir,
      env: {
        ...envWithoutSecret,
        LICENSEKIT_APP_PORT: String(ports.app),
        ECOSIRE_LICENSE_SECRET: secret,
        LICENSEKIT_UPSTREAM: `${serverOrigin}/api`,
        LICENSEKIT_DOMAIN: domain,
        LICENSEKIT_HEARTBEAT_MS: heartbeatMs,
        LICENSEKIT_RECEIPT_PRIVATE_JWK: receiptKeys.privateJwk,
        LICENSEKIT_RECEIPT_PUBLIC_JWK: receiptKeys.publicJwk,
        LICENSEKIT_WEBHOOK_SECRET: webhookSecret,
      },
    },
  )
  await waitForHttp(app, `${appUrl}/`)
} catch (error) {
  console.error(`pnpm dev: ${error.message}`)
  await stop(1)
}

const db = relative(root, dbPath)
const width = Math.max(...demoKeys.map((license) => license.label.length))
console.log(`
${paint('1', 'licensekit demo is running')}

  App           ${paint('1;32', appUrl)}
  Settings      ${appUrl}/settings
  Proxy         ${appUrl}/api/license (in the Vite dev server through licensekitDev; domain ${domain})
  License API   ${serverOrigin}/api (database ${db})

Demo keys (type them in any case, with or without dashes; one slot per site, ${domain} included):
${demoKeys
  .map(
    (license) =>
      `  ${license.label.padEnd(width)}  ${paint('1', license.key)}  ${license.status}, ${license.limit === 1 ? '1 activation' : `${license.limit} activations`}${license.features.length > 0 ? `, features ${license.features.join(', ')}` : ''}${license.seats === null ? '' : `, ${license.seats} seats`}${license.activatedOn?.length ? ` (already activated on ${license.activatedOn.join(', ')})` : ''}`,
  )
  .join('\n')}

Admin: node ${relative(root, cliPath)} list --db ${db}
Press Ctrl-C to stop.
`)
