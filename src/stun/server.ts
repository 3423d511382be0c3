/** The relay's STUN server: Node only (UDP sockets), so kept apart from what browsers import */
import { StunServer } from './stun-server.ts'
import type { StunServerComponents, StunServerInit } from './stun-server.ts'

export function stunServer (init: StunServerInit = {}): (components: StunServerComponents) => StunServer {
  return (components) => new StunServer(components, init)
}
