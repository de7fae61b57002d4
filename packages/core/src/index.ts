export { isLicenseErrorCode, LICENSE_ERROR_CODES, type LicenseErrorCode } from './errors/codes.js'
export { isLicenseError, LicenseError, type LicenseErrorOptions } from './errors/license-error.js'
export { isLicenseKey, maskLicenseKey, normalizeLicenseKey } from './keys/license-key.js'
