/**
 * Thrown when the bootstrap list cannot be used: missing or unreadable file, invalid JSON, an
 * unsupported version or a bad entry. The message names the file and, for a bad entry, its index
 * and value.
 */
export class BootstrapListError extends Error {
  static override name = 'BootstrapListError'
  override name = 'BootstrapListError'

  constructor (message = 'Invalid bootstrap list', options?: ErrorOptions) {
    super(message, options)
  }
}
