import { describe, expect, it } from 'vitest'
import {
  ADMIN_COOKIE,
  adminSessionValue,
  cookieOf,
  isAdminSession,
  passwordMatches,
} from './admin-session'

const PASSWORD = 'correct horse battery staple'
const flipLast = (text: string) => `${text.slice(0, -1)}${text.endsWith('0') ? '1' : '0'}`
const withCookie = (cookie: string) => new Request('http://127.0.0.1/', { headers: { cookie } })

describe('admin session', () => {
  it('accepts the cookie made from the configured password', () => {
    expect(isAdminSession(adminSessionValue(PASSWORD), PASSWORD)).toBe(true)
  })

  it.each([
    ['no cookie', undefined, PASSWORD],
    ['an empty cookie', '', PASSWORD],
    ['the password itself as the cookie', PASSWORD, PASSWORD],
    ['a cookie made from another password', adminSessionValue('another password'), PASSWORD],
    ['a cookie with its last character changed', flipLast(adminSessionValue(PASSWORD)), PASSWORD],
    ['any cookie when no password is configured', adminSessionValue(''), null],
  ])('refuses %s', (_label, cookie, password) => {
    expect(isAdminSession(cookie, password)).toBe(false)
  })

  it('changes the cookie when the password changes', () => {
    expect(adminSessionValue(PASSWORD)).not.toBe(adminSessionValue(`${PASSWORD}!`))
    expect(adminSessionValue(PASSWORD)).toMatch(/^[0-9a-f]{64}$/)
  })

  it('matches the password exactly, and nothing when none is configured', () => {
    expect(passwordMatches(PASSWORD, PASSWORD)).toBe(true)
    expect(passwordMatches(`${PASSWORD} `, PASSWORD)).toBe(false)
    expect(passwordMatches('', PASSWORD)).toBe(false)
    expect(passwordMatches('', null)).toBe(false)
  })
})

describe('cookieOf', () => {
  it('finds the named cookie among others, keeping "=" in its value', () => {
    const request = withCookie(`theme=dark; ${ADMIN_COOKIE}=a=b; other=1`)
    expect(cookieOf(request, ADMIN_COOKIE)).toBe('a=b')
  })

  it('is undefined without the cookie or a Cookie header', () => {
    expect(cookieOf(withCookie(`x${ADMIN_COOKIE}=1; ${ADMIN_COOKIE}x=2`), ADMIN_COOKIE)).toBe(
      undefined,
    )
    expect(cookieOf(new Request('http://127.0.0.1/'), ADMIN_COOKIE)).toBe(undefined)
  })
})
