import { bootstrap } from '@libp2p/bootstrap'
import { circuitRelayServer } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { gossipsub } from '@libp2p/gossipsub'
import { identify, identifyPush } from '@libp2p/identify'
import { FaultTolerance } from '@libp2p/interface'
import { kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { ping } from '@libp2p/ping'
import { plaintext } from '@libp2p/plaintext'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { groupGossipsubInit } from '../groups/gossip.ts'
import { callSignalChannel } from '../protocols/call-signal/index.ts'
import { chat } from '../protocols/chat/index.ts'
import { fileExchange } from '../protocols/file/index.ts'
import { mailbox, mailboxHostsDHT } from '../protocols/mailbox/index.ts'
import { DHT_NAMESPACE as PREKEY_NAMESPACE, prekeys, selectPrekeyRecord, validatePrekeyRecord } from '../protocols/prekeys/index.ts'
import { guardedService, MAX_DHT_FRAME_BYTES, UnfinishedFrames } from '../protocols/frames/index.ts'
import { dialOrder } from './address-sorter.ts'
import { autoNATWithFreshDialBack } from './autonat.ts'
import { createConnectionGater } from './connection-gater.ts'
import { courierNodeFactory } from './courier-node.ts'
import { gatedNetLookup } from './gated-lookup.ts'
import { osLookup } from './host-lookup.ts'
import type { LookupHost } from './host-lookup.ts'
import { dhtModeByReachability } from './dht-mode.ts'
import { rememberedAddresses } from './remembered-addresses.ts'
import { webRTCGuard } from './webrtc-guard.ts'
import { noiseCrypto } from './noise-crypto.ts'
import { defaultListen, lanDiscovery, platformTransports, relayAnnounce, relayKeychain, relayStun } from './transports.ts'
import { reservedClientAddresses } from './reserved-client-addresses.ts'
import { relayStunDiscovery, StunServerList } from '../stun/index.ts'
import {
  CONNECTION_PING_INTERVAL_MS, DHT_PROTOCOL, PING_STREAMS, LAN_INBOUND_CONNECTIONS_PER_IP_PER_S,
  RELAY_DATA_LIMIT_BYTES, RELAY_DURATION_LIMIT_MS, RELAY_MAX_CONNECTIONS, RELAY_MAX_PENDING_INBOUND, USER_MAX_PENDING_INBOUND,
  RELAY_MAX_RESERVATIONS, RELAY_RESERVATION_TTL_MS, USER_AGENT, USER_MAX_CONNECTIONS, YAMUX_MAX_STREAM_WINDOW_BYTES
} from './constants.ts'
import type { CryptoProvider } from '../crypto/provider/types.ts'
import type { CallSignalChannel } from '../protocols/call-signal/index.ts'
import type { Chat, ChatInit } from '../protocols/chat/index.ts'
import type { FileExchange, FileExchangeInit } from '../protocols/file/index.ts'
import type { Mailbox, MailboxHostInit, MailboxHostsDHT, MailboxInit } from '../protocols/mailbox/index.ts'
import type { Prekeys } from '../protocols/prekeys/index.ts'
import type { RelayStunDiscovery, StunServerInit } from '../stun/index.ts'
import type { KeyStore } from '../storage/types.ts'
import type { GossipSub } from '@libp2p/gossipsub'
import type { Identify } from '@libp2p/identify'
import type { PeerDiscovery, PrivateKey, ServiceMap } from '@libp2p/interface'
import type { KadDHT, KadDHTInit } from '@libp2p/kad-dht'
import type { Ping } from '@libp2p/ping'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Datastore } from 'interface-datastore'
import type { ConnectionMonitorInit, Libp2p, Libp2pOptions } from 'libp2p'

export interface ParleyNodeInit {
  privateKey: PrivateKey
  /** Sessions and this node's prekeys */
  keys: KeyStore
  crypto: CryptoProvider
  /** Where libp2p keeps its peer store and DHT records. In memory if omitted (tests). */
  datastore?: Datastore
  /** @default USER_LISTEN, or RELAY_LISTEN with `relay` */
  listen?: string[]
  /** Addresses to announce instead of the listening ones (a relay behind port forwarding) */
  announce?: string[]
  bootstrap?: Multiaddr[]
  /** Run as a bootstrap/relay node: DHT server and circuit relay v2 server. @default false */
  relay?: boolean
  /**
   * Allow private and loopback addresses everywhere they are normally refused: DHT peer info,
   * dialing, announcing, and a raised per-IP inbound rate (local peers share an IP).
   * @default false
   */
  lan?: boolean
  /** Find peers on the local network by multicast DNS. @default false */
  mdns?: boolean
  /**
   * Resolves the names in `/dns*` addresses for the connection gater and the TCP transport
   * outside LAN mode (tests give their own, so no query leaves the machine).
   * @default the operating system's resolver (`osLookup`)
   */
  lookupHost?: LookupHost
  /**
   * STUN/TURN servers for WebRTC; none by default, so no third party learns who calls whom. A
   * user node also asks the relays it is connected to that answer STUN (`src/stun`).
   */
  iceServers?: RTCIceServer[]
  /**
   * Relays only, outside LAN mode: answer STUN binding requests for users' WebRTC (`src/stun`);
   * `false` turns it off. A port that cannot be bound stops the node (`StunListenError`).
   * @default { port: STUN_PORT } (3478)
   */
  stun?: StunServerInit | false
  /**
   * Node only: the local address WebRTC binds to (tests: 127.0.0.1, so nothing leaves loopback).
   * Browsers choose their own candidates.
   */
  rtcBindAddress?: string
  chat?: ChatInit
  file?: FileExchangeInit
  /**
   * Where to hold envelopes for others, and how much (see `MailboxHostInit`). Relays host by
   * default (they must be given this); a user node hosts only when it is given; never browsers.
   */
  mailboxHost?: MailboxHostInit
  mailbox?: Omit<MailboxInit, 'host'>
  /**
   * Simulation only: use the in-process memory transport instead of the network transports
   * (`/memory/<name>` addresses). @default false
   */
  memory?: boolean
  /**
   * Simulation only: no connection encryption, to save CPU in large simulated networks. Never
   * for real use: anyone on the path reads and changes everything. @default false
   */
  insecurePlaintext?: boolean
  /** Always a DHT client, never answering queries (a browser page, which nobody can dial). @default false */
  dhtClient?: boolean
  /** Overrides for the DHT, e.g. shorter maintenance intervals in a simulation */
  dht?: Partial<KadDHTInit>
  /**
   * libp2p's connection monitor, which pings every connection (every 10 s) and closes one whose
   * ping times out. Simulations with hundreds of nodes in one process turn it off: there its
   * pings are most of the idle CPU, and an overloaded event loop fails them, closing healthy
   * connections. @default libp2p's (on)
   */
  connectionMonitor?: ConnectionMonitorInit
}

export interface ParleyServices extends ServiceMap {
  identify: Identify
  identifyPush: unknown
  ping: Ping
  autonat: unknown
  dcutr: unknown
  webRTCGuard: unknown
  dht: KadDHT
  /** Groups' gossip (src/groups/gossip.ts) */
  pubsub: GossipSub
  chat: Chat
  /** A call's negotiation while the two are connected (src/calls) */
  callSignals: CallSignalChannel
  file: FileExchange
  prekeys: Prekeys
  mailboxHosts: MailboxHostsDHT
  mailbox: Mailbox
  /** The bytes of frames still arriving on the node's streams, against their budget */
  unfinishedFrames: UnfinishedFrames
  relay?: unknown
  /** Relays: their STUN server */
  stun?: unknown
  /** User nodes: which of their relays answer STUN */
  relayStun?: RelayStunDiscovery
}

export type ParleyNode = Libp2p<ParleyServices>

/** Assembles the libp2p node every Parley role runs on (not started: the caller starts it). */
export async function createParleyNode (init: ParleyNodeInit): Promise<ParleyNode> {
  const relay = init.relay ?? false
  const lan = init.lan ?? false
  const lookupHost = init.lookupHost ?? osLookup()
  const dialLookup = lan || lookupHost == null ? undefined : gatedNetLookup(lookupHost)
  const listen = init.listen ?? defaultListen(relay)
  const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
  if (init.bootstrap != null && init.bootstrap.length > 0) {
    // bootstrap's default waits a second before dialling: nothing works until it has
    peerDiscovery.push(bootstrap({ list: init.bootstrap.map(ma => ma.toString()) }))
  }
  if (init.mdns === true) {
    peerDiscovery.push(lanDiscovery())
  }

  // the bytes of frames still arriving, over all of this node's protocols (src/protocols/frames)
  const unfinishedFrames = new UnfinishedFrames()
  const guardedDHT = { budget: unfinishedFrames, maxFrameBytes: MAX_DHT_FRAME_BYTES }
  const guarded = { budget: unfinishedFrames }
  const services: Record<string, unknown> = {
    identify: identify(),
    identifyPush: identifyPush(),
    // both DHTs ping a new peer before adding it to their routing tables, often at the same
    // moment: with ping's default of one stream each way per connection, one of them fails
    ping: ping({ maxInboundStreams: PING_STREAMS, maxOutboundStreams: PING_STREAMS }),
    autonat: autoNATWithFreshDialBack(),
    dcutr: dcutr(),
    webRTCGuard: webRTCGuard(),
    dht: guardedService(kadDHT({
      // lookups wait for the first self-query, which kad-dht delays by a second by default; it
      // waits for a routing table peer anyway, so it can start at once
      initialQuerySelfInterval: 0,
      ...init.dht,
      protocol: DHT_PROTOCOL,
      validators: { [PREKEY_NAMESPACE]: validatePrekeyRecord },
      selectors: { [PREKEY_NAMESPACE]: selectPrekeyRecord },
      // relays and LAN nodes are dialable by definition; user nodes are clients until autonat
      // confirms a public address (dhtMode below); browsers never can be dialled, so never serve
      clientMode: !(relay || lan) || init.dhtClient === true,
      peerInfoMapper: lan ? passthroughMapper : removePrivateAddressesMapper
    }), guardedDHT),
    pubsub: gossipsub(groupGossipsubInit()),
    chat: guardedService(chat(init.chat), guarded),
    callSignals: guardedService(callSignalChannel(), guarded),
    file: guardedService(fileExchange(init.file), guarded),
    prekeys: guardedService(prekeys({ store: init.keys, provider: init.crypto }), guarded),
    // only hosts serve in this DHT, so its closest peers to a mailbox key are hosts
    mailboxHosts: guardedService(mailboxHostsDHT({
      initialQuerySelfInterval: 0,
      ...init.dht,
      hosting: init.mailboxHost != null,
      peerInfoMapper: lan ? passthroughMapper : removePrivateAddressesMapper
    }), guardedDHT),
    mailbox: guardedService(mailbox({
      // the user's own deposits and fetches go under throwaway identities (couriers.ts)
      couriers: courierNodeFactory({
        lan,
        ...(lookupHost != null ? { lookupHost } : {}),
        ...(dialLookup != null ? { dialLookup } : {}),
        iceServers: init.iceServers,
        rtcBindAddress: init.rtcBindAddress,
        memory: init.memory,
        insecurePlaintext: init.insecurePlaintext
      }),
      ...init.mailbox,
      ...(init.mailboxHost != null ? { host: init.mailboxHost } : {})
    }), guarded),
    unfinishedFrames: () => unfinishedFrames
  }
  if (!relay && !lan && init.dhtClient !== true) {
    services.dhtMode = dhtModeByReachability()
    // relays announce their public addresses without autonat (relayAnnounce), pages are never public
    services.rememberedAddresses = rememberedAddresses()
  }
  // a user's WebRTC asks its relays for its NAT-mapped address, so two users behind NATs can
  // hole-punch; the transport reads the list at each new peer connection
  const stunServers = relay ? undefined : new StunServerList()
  if (stunServers != null) {
    services.relayStun = relayStunDiscovery({ list: stunServers })
  }
  if (relay) {
    // WebRTC-Direct keeps its certificate (whose hash is in the relay's published addresses)
    // across restarts only when a keychain is there; the keychain sits in the node's datastore
    services.keychain = relayKeychain()
    // LAN peers need no NAT traversal, and a simulated relay (memory transport) has no IP address
    if (init.stun !== false && init.memory !== true && !lan) services.stun = relayStun(init.stun ?? {})
    services.relay = circuitRelayServer({
      reservations: {
        maxReservations: RELAY_MAX_RESERVATIONS,
        reservationTtl: RELAY_RESERVATION_TTL_MS,
        defaultDurationLimit: RELAY_DURATION_LIMIT_MS,
        defaultDataLimit: RELAY_DATA_LIMIT_BYTES
      }
    })
    // its users are found through it from the moment it holds their reservations
    services.reservedClientAddresses = reservedClientAddresses()
  }

  const options: Libp2pOptions<ParleyServices> = {
    privateKey: init.privateKey,
    ...(init.datastore != null ? { datastore: init.datastore } : {}),
    addresses: {
      listen,
      // a relay's public addresses need no autonat confirmation (see relayPublicAddresses);
      // announced addresses replace the listening ones, so it has no unconfirmed address left
      // to ask its users to dial back, over and over
      announce: init.announce ?? (relay ? relayAnnounce(listen) : [])
    },
    // an IPv6 or WebRTC listener missing on this machine must not stop the node
    transportManager: { faultTolerance: FaultTolerance.NO_FATAL },
    // Node's or the browser's set (transports.browser.ts), chosen by the bundler, not at run time
    transports: platformTransports({
      iceServers: init.iceServers,
      ...(stunServers != null ? { stunServers: () => stunServers.iceServers() } : {}),
      rtcBindAddress: init.rtcBindAddress,
      memory: init.memory,
      relay,
      // the gater resolved a name to let its dial through; the connect must not resolve it anew
      ...(dialLookup != null ? { dialLookup } : {})
    }),
    connectionEncrypters: [init.insecurePlaintext === true ? plaintext() : noise({ crypto: noiseCrypto })],
    streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: YAMUX_MAX_STREAM_WINDOW_BYTES } })],
    connectionGater: createConnectionGater({ lan, ...(lookupHost != null ? { lookupHost } : {}) }),
    connectionManager: {
      maxConnections: relay ? RELAY_MAX_CONNECTIONS : USER_MAX_CONNECTIONS,
      maxIncomingPendingConnections: relay ? RELAY_MAX_PENDING_INBOUND : USER_MAX_PENDING_INBOUND,
      addressSorter: dialOrder,
      // libp2p counts relayed connections against their relay's IP; the gater limits each
      // source's rate outside LAN mode instead (src/node/inbound-rate.ts)
      inboundConnectionThreshold: LAN_INBOUND_CONNECTIONS_PER_IP_PER_S
    },
    peerDiscovery,
    connectionMonitor: init.connectionMonitor ?? { pingInterval: CONNECTION_PING_INTERVAL_MS },
    nodeInfo: { userAgent: USER_AGENT },
    services: services as any,
    start: false
  }
  return createLibp2p(options)
}
