import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveStaticPath } from './static-files.js'

const root = resolve('/srv/app/dist')

describe('resolveStaticPath', () => {
  it('maps a URL path to the file under the root', () => {
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'))
    expect(resolveStaticPath(root, '/')).toBe(root)
    expect(resolveStaticPath(root, '/a%20b.txt')).toBe(join(root, 'a b.txt'))
  })

  it.each([
    ['a parent segment', '/../secret.txt'],
    ['a parent segment deeper down', '/assets/../../secret.txt'],
    ['an encoded slash around dots', '/..%2fsecret.txt'],
    ['encoded dots', '/%2e%2e/secret.txt'],
    ['encoded dots and slash', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['a backslash', '/..%5csecret.txt'],
    ['a NUL byte', '/index.html%00.js'],
    ['a malformed escape', '/%E0%A4%A'],
    ['a path without the leading slash', 'secret.txt'],
  ])('refuses %s', (_name, path) => {
    expect(resolveStaticPath(root, path)).toBeNull()
  })
})
