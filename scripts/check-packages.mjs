// Packs every publishable package and checks what a user would install:
// publint (strict) and arethetypeswrong (ESM-only profile) on the tarball, and the tarball's
// file list: built code and docs only — no tests, no test support, no source maps, no sources.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const bin = (name) => join(root, 'node_modules', '.bin', name)
const packages = ['core', 'react', 'license-server', 'redis']
const forbidden = [/\.test\./, /test-support/, /\.map$/, /^package\/src\//, /\.tsbuildinfo$/]
const pnpmVersion = JSON.parse(
  execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").packageManager)'], {
    cwd: root,
    encoding: 'utf8',
  }),
).split('@')[1]

let failed = false
const out = mkdtempSync(join(tmpdir(), 'licensekit-pack-'))
try {
  for (const name of packages) {
    const dir = join(root, 'packages', name)
    const dest = join(out, name)
    execFileSync('npx', ['-y', `pnpm@${pnpmVersion}`, 'pack', '--pack-destination', dest], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const [tarball] = readdirSync(dest).filter((file) => file.endsWith('.tgz'))
    const tarPath = join(dest, tarball)
    const files = execFileSync('tar', ['-tzf', tarPath], { encoding: 'utf8' }).trim().split('\n')
    const bad = files.filter((file) => forbidden.some((pattern) => pattern.test(file)))
    console.log(`\n${name}: ${files.length} files in ${tarball}`)
    for (const file of files) console.log(`  ${file}`)
    if (bad.length > 0) {
      failed = true
      console.error(`  ✗ must not be published: ${bad.join(', ')}`)
    }
    for (const [tool, args] of [
      ['publint', ['run', '--strict', tarPath]],
      ['attw', [tarPath, '--profile', 'esm-only', '--no-emoji', '--no-color']],
    ]) {
      try {
        const result = execFileSync(bin(tool), args, { encoding: 'utf8', stdio: 'pipe' })
        console.log(
          `  ✓ ${tool}${result.trim() ? `\n${result.trim().replace(/^/gm, '    ')}` : ''}`,
        )
      } catch (error) {
        failed = true
        console.error(`  ✗ ${tool}\n${String(error.stdout ?? '')}${String(error.stderr ?? '')}`)
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}
if (failed) {
  console.error('\ncheck-packages: FAILED')
  process.exit(1)
}
console.log('\ncheck-packages: all publishable packages are clean')
