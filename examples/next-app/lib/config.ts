/** The app's settings, from the environment (see the README). Read on the server only. */
export interface AppConfig {
  /** HMAC secret shared with the license API. */
  secret: string
  /** Base URL of the license API, e.g. `licensekit-server start`'s `http://127.0.0.1:4010/api`. */
  upstream: string
  /** The host name this installation's activation is bound to. */
  domain: string
  /** Where the installation's license key is kept. */
  keyFile: string
  /** Password of the settings page; without it nobody can activate or remove a license. */
  adminPassword: string | null
}

export function readConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  return {
    secret: env.ECOSIRE_LICENSE_SECRET ?? '',
    upstream: env.LICENSEKIT_UPSTREAM ?? 'http://127.0.0.1:4010/api',
    domain: env.LICENSEKIT_DOMAIN ?? 'localhost',
    keyFile: env.LICENSEKIT_KEY_FILE ?? '.licensekit/installation-key.json',
    adminPassword: env.LICENSEKIT_ADMIN_PASSWORD || null,
  }
}
