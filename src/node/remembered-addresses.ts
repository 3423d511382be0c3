import { multiaddr } from '@multiformats/multiaddr'
import { Key } from 'interface-datastore'
import { hasPublicDirectAddress } from './dht-mode.ts'
import { MAX_REMEMBERED_ADDRESSES } from './constants.ts'
import type { ComponentLogger, Libp2pEvents, Logger, Startable, TypedEventTarget } from '@libp2p/interface'
import type { AddressManager } from '@libp2p/interface-internal'
import type { Datastore } from 'interface-datastore'

/** Where the confirmed addresses are kept in the node's datastore */
export const REMEMBERED_ADDRESSES_KEY = new Key('/parley/confirmed-addresses')

/** The stored form is small: anything larger is not ours and is ignored */
const MAX_STORED_BYTES = 16 * 1_024

export interface RememberedAddressesComponents {
  addressManager: AddressManager
  datastore: Datastore
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/** One public address autonat confirmed, and until when that confirmation holds */
export interface RememberedAddress {
  multiaddr: string
  /** ms since the epoch */
  expires: number
}

/**
 * Carries autonat's confirmation of this node's public addresses across a restart.
 *
 * libp2p announces a public listening address only once autonat has confirmed it (dial-backs
 * from several peers), and keeps that confirmation in memory. A public node that restarted, as
 * a service restart or an update does, announced no direct address at all until then: its
 * identify told every peer it had none, they forgot the one they knew, and it could be reached
 * only through a relay reservation, if it had one (a restarted public storer went unheard by
 * its users for over half a minute). Each confirmation is kept with its expiry in the datastore
 * and restored at start for the time it had left, no longer; autonat checks it again then, as it
 * does every confirmation, and withdraws it if the address no longer answers.
 */
class RememberedAddresses implements Startable {
  private readonly log: Logger
  private readonly onSelfUpdate = (): void => { void this.save() }

  constructor (private readonly components: RememberedAddressesComponents) {
    this.log = components.logger.forComponent('parley:remembered-addresses')
  }

  async start (): Promise<void> {
    const now = Date.now()
    for (const remembered of await this.load()) {
      if (remembered.expires <= now) continue
      this.log('restoring the confirmation of %s for %d s', remembered.multiaddr, Math.round((remembered.expires - now) / 1_000))
      this.components.addressManager.confirmObservedAddr(multiaddr(remembered.multiaddr), { type: 'transport', ttl: remembered.expires - now })
    }
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
  }

  /** The confirmations' expiries move on without an event: the last ones are kept at stop */
  async beforeStop (): Promise<void> {
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    await this.save()
  }

  async stop (): Promise<void> {}

  private async save (): Promise<void> {
    const now = Date.now()
    const confirmed: RememberedAddress[] = this.components.addressManager.getAddressesWithMetadata()
      .filter(a => a.verified && a.type === 'transport' && a.expires > now && hasPublicDirectAddress([a.multiaddr]))
      .slice(0, MAX_REMEMBERED_ADDRESSES)
      .map(a => ({ multiaddr: a.multiaddr.toString(), expires: a.expires }))
    try {
      await this.components.datastore.put(REMEMBERED_ADDRESSES_KEY, new TextEncoder().encode(JSON.stringify(confirmed)))
    } catch (err: any) {
      this.log.error('could not keep the confirmed addresses - %e', err)
    }
  }

  private async load (): Promise<RememberedAddress[]> {
    let bytes: Uint8Array
    try {
      bytes = await this.components.datastore.get(REMEMBERED_ADDRESSES_KEY)
    } catch (err: any) {
      if (err.name !== 'NotFoundError') this.log.error('could not read the confirmed addresses - %e', err)
      return []
    }
    return parseRemembered(bytes)
  }
}

/** What `save` wrote, or nothing: a stored value that is not exactly that is ignored, never thrown */
export function parseRemembered (bytes: Uint8Array): RememberedAddress[] {
  if (bytes.byteLength > MAX_STORED_BYTES) return []
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return []
  }
  if (!Array.isArray(value)) return []
  return value.slice(0, MAX_REMEMBERED_ADDRESSES).filter((entry): entry is RememberedAddress => {
    if (typeof entry?.multiaddr !== 'string' || typeof entry?.expires !== 'number' || !Number.isFinite(entry.expires)) return false
    try {
      return hasPublicDirectAddress([multiaddr(entry.multiaddr)])
    } catch {
      return false
    }
  })
}

export function rememberedAddresses (): (components: RememberedAddressesComponents) => Startable {
  return (components) => new RememberedAddresses(components)
}
