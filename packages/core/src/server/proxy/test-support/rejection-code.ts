import { isLicenseError } from '../../../errors/license-error.js'

/** The `LicenseError` code `promise` rejects with, `'resolved'`, or `'not a LicenseError'`. */
export async function rejectionCodeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    return isLicenseError(error) ? error.code : 'not a LicenseError'
  }
  return 'resolved'
}
