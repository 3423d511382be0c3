import { closestFirst } from './distance.ts'
import type { MailboxHostRouting } from './host-routing.ts'
import type { IdentifyResult, Libp2pEvents, PeerId, TypedEventTarget } from '@libp2p/interface'

export interface HostArrivalsInit {
  events: TypedEventTarget<Libp2pEvents>
  hostRouting: () => MailboxHostRouting
  /** The protocol a mailbox host serves (what marks an identified peer as one) */
  protocol: string
  /** The keys this node's mail is under now */
  keys: () => Promise<Uint8Array[]>
  /** How many of the closest hosts to a key may hold mail under it */
  spread: number
  /** A host is told again at most this often */
  intervalMs: number
  onHost: (host: PeerId) => void
}

/**
 * Notices, from the recipient's side, a mailbox host that may hold its mail: one that connects
 * (is identified) and is among the `spread` closest hosts known to one of this node's mailbox
 * keys. A storer recognised a recipient by the key of its PeerId and told it so (the mail
 * notice); it cannot recognise the keys of mailbox identities, which name no PeerId, so the
 * recipient looks for itself.
 */
export class HostArrivals {
  private readonly told = new Map<string, number>()

  constructor (private readonly init: HostArrivalsInit) {
    this.onIdentify = this.onIdentify.bind(this)
  }

  start (): void {
    this.init.events.addEventListener('peer:identify', this.onIdentify)
  }

  stop (): void {
    this.init.events.removeEventListener('peer:identify', this.onIdentify)
  }

  private onIdentify (evt: CustomEvent<IdentifyResult>): void {
    const { peerId, protocols } = evt.detail
    if (!protocols.includes(this.init.protocol)) return
    const id = peerId.toString()
    const now = Date.now()
    if (now - (this.told.get(id) ?? -Infinity) < this.init.intervalMs) return
    this.init.keys().then(keys => {
      if (!keys.some(key => this.nearby(key, peerId))) return
      this.told.set(id, now)
      // bounded: the oldest go first
      for (const [old, at] of this.told) {
        if (now - at < this.init.intervalMs) break
        this.told.delete(old)
      }
      this.init.onHost(peerId)
    }).catch(() => {})
  }

  /** Whether `host` is among the closest hosts known to `key` (itself counted) */
  private nearby (key: Uint8Array, host: PeerId): boolean {
    const known = this.init.hostRouting().knownHosts(key, this.init.spread).filter(p => !p.equals(host))
    return closestFirst(key, [...known, host]).slice(0, this.init.spread).some(p => p.equals(host))
  }
}
