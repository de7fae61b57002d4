import { createHmac, timingSafeEqual } from 'node:crypto'

/** The cookie that marks the settings page's admin, who may activate and remove the license. */
export const ADMIN_COOKIE = 'licensekit_admin'

const digest = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest()

/** The cookie's value for `password`: stateless, and changing the password signs everyone out. */
export function adminSessionValue(password: string): string {
  return digest(password, 'licensekit-next-app admin session').toString('hex')
}

/** Compares digests, so the time taken says nothing about either string. */
function sameText(given: string, expected: string): boolean {
  const key = 'licensekit-next-app compare'
  return timingSafeEqual(digest(key, given), digest(key, expected))
}

export function passwordMatches(given: string, password: string | null): boolean {
  return password !== null && sameText(given, password)
}

export function isAdminSession(cookie: string | undefined, password: string | null): boolean {
  return password !== null && cookie !== undefined && sameText(cookie, adminSessionValue(password))
}

/** The value of cookie `name` in a request's `Cookie` header. */
export function cookieOf(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const [field = '', ...value] = pair.trim().split('=')
    if (field === name) return value.join('=')
  }
  return undefined
}
