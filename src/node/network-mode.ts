import { isLocalAddress } from './connection-gater.ts'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface NetworkModeInput {
  /** Every bootstrap address the node was given (the list file and `--bootstrap`) */
  bootstrap: Multiaddr[]
  relay: boolean
  /** `--lan` (true) or nothing said (undefined) */
  lan?: boolean
  /** `--mdns` (true), `--no-mdns` (false) or nothing said (undefined) */
  mdns?: boolean
}

export interface NetworkMode {
  /** Private and loopback addresses allowed (see `ParleyNodeInit.lan`) */
  lan: boolean
  /** Multicast DNS on */
  mdns: boolean
  /** Why the node is in this mode, for the line it prints at start */
  reason: string
}

/**
 * Decides, from what the user said and the bootstrap list, whether a node runs in LAN mode and
 * whether it announces itself by mDNS. Nothing is switched on by accident:
 *
 * - LAN mode with `--lan`, or when every bootstrap node is on a private or loopback address; a
 *   user node with no bootstrap node at all can only ever meet local peers, so it is in LAN mode
 *   too, but a relay with none is a public node that others bootstrap from (the first relay of a
 *   network), never a LAN one;
 * - mDNS with `--mdns`; without a word either way, only in LAN mode and only while no bootstrap
 *   node is public: a node that reaches a public relay finds its peers there, and need not tell
 *   the local network who it is.
 */
export function chooseNetworkMode (input: NetworkModeInput): NetworkMode {
  const publicBootstrap = input.bootstrap.some(ma => !isLocalAddress(ma))
  let lan: boolean
  let reason: string
  if (input.lan === true) {
    lan = true
    reason = 'LAN mode (--lan)'
  } else if (input.bootstrap.length > 0) {
    lan = !publicBootstrap
    reason = lan ? 'LAN mode: every bootstrap node is on a private or loopback address' : 'public mode: a bootstrap node is public'
  } else if (input.relay) {
    lan = false
    reason = 'public mode: a relay with no bootstrap nodes (pass --lan for a relay on a LAN)'
  } else {
    lan = true
    reason = 'LAN mode: no bootstrap nodes, so only peers on the local network can be reached'
  }
  const mdns = input.mdns ?? (lan && !publicBootstrap)
  return { lan, mdns, reason: `${reason}; mDNS ${mdns ? 'on' : 'off'}` }
}
