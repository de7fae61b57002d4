'use server'

import { cookies, headers } from 'next/headers'
import { redirect } from 'next/navigation'
import { ADMIN_COOKIE, adminSessionValue, passwordMatches } from '../../lib/admin-session'
import { readConfig } from '../../lib/config'

/** Signs the admin in: the cookie is what the proxy's `authorize` checks. */
export async function signIn(form: FormData): Promise<void> {
  const { adminPassword } = readConfig()
  const given = form.get('password')
  if (
    adminPassword === null ||
    typeof given !== 'string' ||
    !passwordMatches(given, adminPassword)
  ) {
    redirect('/settings?signin=failed')
  }
  const https = (await headers()).get('x-forwarded-proto') === 'https'
  ;(await cookies()).set(ADMIN_COOKIE, adminSessionValue(adminPassword), {
    httpOnly: true,
    sameSite: 'strict',
    secure: https,
    path: '/',
  })
  redirect('/settings')
}
