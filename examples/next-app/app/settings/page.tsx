import { cookies } from 'next/headers'
import { LicenseSettings } from '../../components/license-settings'
import { ADMIN_COOKIE, isAdminSession } from '../../lib/admin-session'
import { readConfig } from '../../lib/config'
import { signIn } from './actions'

export default async function SettingsPage({
  searchParams,
}: {
  searchParams: Promise<{ signin?: string }>
}) {
  const { adminPassword } = readConfig()
  const admin = isAdminSession((await cookies()).get(ADMIN_COOKIE)?.value, adminPassword)
  const failed = (await searchParams).signin === 'failed'
  return (
    <>
      <h1>Settings</h1>
      <LicenseSettings canManage={admin} />
      {admin ? null : (
        <form action={signIn}>
          <p>Sign in as the admin to activate or remove the license.</p>
          <label htmlFor="admin-password">Admin password</label>{' '}
          <input id="admin-password" name="password" type="password" required />{' '}
          <button type="submit">Sign in</button>
          {failed ? <p role="alert">That password is not right.</p> : null}
          {adminPassword === null ? (
            <p>Set LICENSEKIT_ADMIN_PASSWORD on the server to enable signing in.</p>
          ) : null}
        </form>
      )}
    </>
  )
}
