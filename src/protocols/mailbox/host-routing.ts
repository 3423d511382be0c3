import { serviceCapabilities, serviceDependencies, setMaxListeners } from '@libp2p/interface'
import { kadDHT } from '@libp2p/kad-dht'
import { sha256 } from '@noble/hashes/sha2.js'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 as sha256Hasher } from 'multiformats/hashes/sha2'
import {
  HOST_ADVERT_DELAYS_MS, HOST_ADVERT_LABEL, HOST_DHT_PROTOCOL, HOST_DISCOVERY_DIALS, HOST_DISCOVERY_TIMEOUT_MS, HOST_LOOKUP_TIMEOUT_MS, MAX_CANDIDATES
} from './constants.ts'
import { closestFirst } from './distance.ts'
import type { AbortOptions, ContentRouting, Logger, PeerId, Startable } from '@libp2p/interface'
import type { KadDHT, KadDHTComponents, KadDHTInit } from '@libp2p/kad-dht'

export interface MailboxHostsDHTComponents extends KadDHTComponents {
  /** The main DHT's content routing: hosts announce themselves there, newcomers find them */
  contentRouting: ContentRouting
}

/** What the mailbox needs to know about hosts: who they are, by closeness to a key */
export interface MailboxHostRouting {
  /** Asks the hosts' DHT for the hosts closest to `key`, closest first (this node excluded) */
  closestHosts(key: Uint8Array, options?: AbortOptions): Promise<PeerId[]>
  /** The hosts this node already knows, closest to `key` first, without asking anyone */
  knownHosts(key: Uint8Array, count: number): PeerId[]
  /** Resolves once this node knows a host, or has looked for one and found none */
  ensureHosts(options?: AbortOptions): Promise<void>
}

/** kad-dht's routing table has more than its published type shows */
interface RoutingTable {
  size: number
  closestPeers(kadId: Uint8Array, options?: { count?: number }): PeerId[]
}

/**
 * A second Kademlia DHT whose servers are the mailbox hosts only. Hosts are a minority (relays
 * and users who opted in), so the main DHT's closest peers to a mailbox key are mostly peers
 * that store nothing; in this DHT, the closest peers are the closest hosts, the same for every
 * sender, the recipient and the storers re-replicating. Non-hosts run it in client mode.
 *
 * It is kept out of libp2p's peer and content routing (the wrapper has no routing symbols), so
 * records and peer lookups stay on the main DHT.
 *
 * A node meets hosts when it connects to them (its bootstrap relays host by default). One that
 * knows none yet finds them through the main DHT: every host provides a well-known CID there.
 */
export class MailboxHostsDHT implements MailboxHostRouting, Startable {
  private readonly dht: KadDHT
  private readonly components: MailboxHostsDHTComponents
  private readonly hosting: boolean
  private readonly log: Logger
  private readonly timers: Array<ReturnType<typeof setTimeout>> = []
  private shutdown = new AbortController()
  private discovering?: Promise<void>

  constructor (components: MailboxHostsDHTComponents, init: KadDHTInit & { hosting: boolean }) {
    const { hosting, ...dht } = init
    this.dht = kadDHT(dht)(components)
    this.components = components
    this.hosting = hosting
    this.log = components.logger.forComponent('parley:mailbox:hosts')
  }

  readonly [Symbol.toStringTag] = '@parley/mailbox-hosts-dht'
  readonly [serviceCapabilities] = ['@parley/mailbox-host-routing']
  readonly [serviceDependencies] = ['@libp2p/identify', '@libp2p/ping']

  async start (): Promise<void> {
    this.shutdown = new AbortController()
    setMaxListeners(Infinity, this.shutdown.signal)
    await (this.dht as unknown as Startable).start()
  }

  /** Hosts announce themselves, a few times early as the main DHT fills; others look for hosts */
  afterStart (): void {
    if (this.hosting) {
      for (const delay of [0, ...HOST_ADVERT_DELAYS_MS]) {
        const timer = setTimeout(() => { void this.advertise() }, delay)
        timer.unref?.()
        this.timers.push(timer)
      }
    } else {
      void this.discover()
    }
  }

  async stop (): Promise<void> {
    this.shutdown.abort()
    for (const timer of this.timers) clearTimeout(timer)
    await (this.dht as unknown as Startable).stop()
  }

  isStarted (): boolean {
    return (this.dht as unknown as { isStarted(): boolean }).isStarted()
  }

  async closestHosts (key: Uint8Array, options: AbortOptions = {}): Promise<PeerId[]> {
    // kad-dht waits for a routing table peer before a query: with none known, look first, and
    // answer "none" rather than wait for a host that may never come
    if (this.table.size === 0) await this.discover()
    if (this.table.size === 0) return []
    // a host that hangs (paused, overloaded) holds a lookup up until kad-dht's adaptive timeout,
    // up to a minute: past HOST_LOOKUP_TIMEOUT_MS the hosts that did answer are the result
    const signal = AbortSignal.any([...(options.signal != null ? [options.signal] : []), AbortSignal.timeout(HOST_LOOKUP_TIMEOUT_MS)])
    setMaxListeners(Infinity, signal)
    const final: PeerId[] = []
    const answered = new Map<string, PeerId>()
    try {
      for await (const event of this.dht.getClosestPeers(key, { ...options, signal })) {
        if (event.name === 'FINAL_PEER') final.push(event.peer.id)
        if (event.name === 'PEER_RESPONSE') answered.set(event.from.toString(), event.from)
      }
    } catch (err: any) {
      options.signal?.throwIfAborted()
      this.log('a closest-hosts lookup was cut short, %d host(s) answered - %s', answered.size, err.message)
    }
    const peers = (final.length > 0 ? final : [...answered.values()]).filter(p => !p.equals(this.components.peerId))
    return closestFirst(key, peers).slice(0, MAX_CANDIDATES)
  }

  async ensureHosts (options: AbortOptions = {}): Promise<void> {
    if (this.table.size > 0) return
    await this.discover()
    options.signal?.throwIfAborted()
  }

  knownHosts (key: Uint8Array, count: number): PeerId[] {
    // the table's own pick is by bucket, so take a wider set and sort it exactly
    const nearby = this.table.closestPeers(sha256(key), { count: Math.max(count * 4, MAX_CANDIDATES) })
    return closestFirst(key, nearby.filter(p => !p.equals(this.components.peerId))).slice(0, count)
  }

  private get table (): RoutingTable {
    return (this.dht as unknown as { routingTable: RoutingTable }).routingTable
  }

  private async advertise (): Promise<void> {
    try {
      await this.components.contentRouting.provide(await hostsAdvertCid(), { signal: this.shutdown.signal })
      this.log('announced this node as a mailbox host')
    } catch (err: any) {
      if (!this.shutdown.signal.aborted) this.log('announcing this node as a mailbox host failed - %s', err.message)
    }
  }

  /**
   * Finds hosts through the main DHT and connects to a few: identify then shows them to this
   * DHT, which adds them. One search at a time; its result is the routing table.
   */
  private async discover (): Promise<void> {
    this.discovering ??= (async () => {
      const signal = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(HOST_DISCOVERY_TIMEOUT_MS)])
      setMaxListeners(Infinity, signal)
      const table = this.table as unknown as EventTarget
      const added = Promise.withResolvers<void>()
      const onAdd = (): void => { added.resolve() }
      table.addEventListener('peer:add', onAdd)
      signal.addEventListener('abort', onAdd)
      let dialled = 0
      try {
        for await (const provider of this.components.contentRouting.findProviders(await hostsAdvertCid(), { signal })) {
          if (provider.id.equals(this.components.peerId)) continue
          this.components.connectionManager.openConnection(provider.id, { signal }).catch((err: any) => {
            this.log('dialling host %p failed - %s', provider.id, err.message)
          })
          if (++dialled >= HOST_DISCOVERY_DIALS) break
        }
        // the hosts count once identified and pinged by this DHT
        if (dialled > 0 && this.table.size === 0) await added.promise
      } catch (err: any) {
        if (!this.shutdown.signal.aborted) this.log('looking for mailbox hosts failed - %s', err.message)
      } finally {
        table.removeEventListener('peer:add', onAdd)
        signal.removeEventListener('abort', onAdd)
        this.discovering = undefined
      }
      this.log('found %d mailbox host(s) through the main DHT', dialled)
    })()
    await this.discovering
  }
}

/** The CID every host provides in the main DHT */
async function hostsAdvertCid (): Promise<CID> {
  return CID.createV1(raw.code, await sha256Hasher.digest(new TextEncoder().encode(HOST_ADVERT_LABEL)))
}

export interface MailboxHostsDHTInit extends Omit<KadDHTInit, 'protocol' | 'clientMode' | 'logPrefix' | 'datastorePrefix' | 'metricsPrefix'> {
  /** Whether this node hosts: only hosts answer in this DHT */
  hosting: boolean
}

export function mailboxHostsDHT (init: MailboxHostsDHTInit): (components: MailboxHostsDHTComponents) => MailboxHostsDHT {
  return (components) => new MailboxHostsDHT(components, {
    ...init,
    protocol: HOST_DHT_PROTOCOL,
    clientMode: !init.hosting,
    logPrefix: 'parley:mailbox:dht',
    datastorePrefix: '/parley-mailbox-dht',
    metricsPrefix: 'parley_mailbox_dht'
  })
}
