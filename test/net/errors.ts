/** Thrown when a command the harness needs (ip, nft, sysctl, conntrack) exits unsuccessfully */
export class CommandFailedError extends Error {
  static override name = 'CommandFailedError'
  override name = 'CommandFailedError'
  readonly code: number | null
  readonly stderr: string

  constructor (command: string[], code: number | null, stderr: string) {
    super(`${command.join(' ')} exited with ${code ?? 'a signal'}: ${stderr.trim()}`)
    this.code = code
    this.stderr = stderr
  }
}

/** Thrown when a command did not finish in time; it has been killed */
export class CommandTimeoutError extends Error {
  static override name = 'CommandTimeoutError'
  override name = 'CommandTimeoutError'

  constructor (command: string[], timeoutMs: number) {
    super(`${command.join(' ')} did not finish within ${timeoutMs} ms`)
  }
}

/** Thrown when a host name cannot become part of a namespace and interface name, or is taken */
export class InvalidHostNameError extends Error {
  static override name = 'InvalidHostNameError'
  override name = 'InvalidHostNameError'

  constructor (message = 'Host names are 1-12 lowercase letters or digits, starting with a letter, unique per box') {
    super(message)
  }
}

/** Thrown when a LAN subnet is not written as a.b.c.0/24 */
export class InvalidSubnetError extends Error {
  static override name = 'InvalidSubnetError'
  override name = 'InvalidSubnetError'

  constructor (message = 'A LAN subnet is an IPv4 /24 written as a.b.c.0/24') {
    super(message)
  }
}

/** Thrown when the box has handed out every public address or default LAN subnet */
export class AddressesExhaustedError extends Error {
  static override name = 'AddressesExhaustedError'
  override name = 'AddressesExhaustedError'

  constructor (message = 'No addresses left in the box') {
    super(message)
  }
}

/** Thrown when a host is added to a box that has been destroyed */
export class BoxDestroyedError extends Error {
  static override name = 'BoxDestroyedError'
  override name = 'BoxDestroyedError'

  constructor (message = 'The internet box has been destroyed') {
    super(message)
  }
}
