import { ParleyError } from '../errors/index.ts'

/**
 * Thrown when the bootstrap list cannot be used: missing or unreadable file, invalid JSON, an
 * unsupported version or a bad entry. The message names the file and, for a bad entry, its index
 * and value.
 */
export class BootstrapListError extends ParleyError {
  static override name = 'BootstrapListError'
  override name = 'BootstrapListError'
  override readonly kind = 'bad-input'
  override readonly code = 'BOOTSTRAP_LIST'

  constructor (message = 'Invalid bootstrap list', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * Thrown when a node is asked for something its platform cannot do, such as mDNS in a browser
 * (pages have no UDP sockets).
 */
export class PlatformUnsupportedError extends ParleyError {
  static override name = 'PlatformUnsupportedError'
  override name = 'PlatformUnsupportedError'
  override readonly kind = 'bad-input'
  override readonly code = 'PLATFORM_UNSUPPORTED'

  constructor (message = 'Not available on this platform', options?: ErrorOptions) {
    super(message, options)
  }
}
