import { identify } from '@libp2p/identify'
import { noise } from '@libp2p/noise'
import { plaintext } from '@libp2p/plaintext'
import { yamux } from '@libp2p/yamux'
import { createLibp2p } from 'libp2p'
import { createConnectionGater } from './connection-gater.ts'
import { USER_AGENT, YAMUX_MAX_STREAM_WINDOW_BYTES } from './constants.ts'
import { noiseCrypto } from './noise-crypto.ts'
import { platformTransports } from './transports.ts'
import type { LookupHost } from './host-lookup.ts'
import type { NetLookup } from './gated-lookup.ts'
import type { CourierNodeFactory } from '../protocols/mailbox/couriers.ts'

export interface CourierNodeInit {
  lan: boolean
  lookupHost?: LookupHost
  dialLookup?: NetLookup
  iceServers?: RTCIceServer[]
  rtcBindAddress?: string
  memory?: boolean
  insecurePlaintext?: boolean
}

/** Courier connections are short and few: one mailbox's storers */
const COURIER_MAX_CONNECTIONS = 32

/**
 * The nodes that carry a user's own mailbox traffic under throwaway identities (see `Couriers`):
 * the user node's transports, encryption, multiplexer and connection gater (so a courier dials
 * nothing the node would not), and identify, which the circuit relay transport needs (and which
 * shows the same agent as a node's). They listen nowhere and run no DHT: a storer sees a
 * connection from a PeerId it never saw and never will again, which speaks the mailbox
 * protocol and nothing more. No `/webrtc` (signalled through a relay: it
 * needs a reservation, which would tie the courier to one): a storer is a host the DHT found,
 * reachable at its own addresses or through its relay's circuit.
 */
export function courierNodeFactory (init: CourierNodeInit): CourierNodeFactory {
  return async privateKey => createLibp2p({
    privateKey,
    addresses: { listen: [] },
    transports: platformTransports({
      iceServers: init.iceServers,
      rtcBindAddress: init.rtcBindAddress,
      memory: init.memory,
      relay: true,
      ...(init.dialLookup != null ? { dialLookup: init.dialLookup } : {})
    }),
    connectionEncrypters: [init.insecurePlaintext === true ? plaintext() : noise({ crypto: noiseCrypto })],
    streamMuxers: [yamux({ streamOptions: { maxStreamWindowSize: YAMUX_MAX_STREAM_WINDOW_BYTES } })],
    connectionGater: createConnectionGater({ lan: init.lan, ...(init.lookupHost != null ? { lookupHost: init.lookupHost } : {}) }),
    connectionManager: { maxConnections: COURIER_MAX_CONNECTIONS },
    // no pings: a courier's connections live a minute at most
    connectionMonitor: { enabled: false },
    nodeInfo: { userAgent: USER_AGENT },
    services: { identify: identify() }
  })
}
