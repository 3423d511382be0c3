import type { CallMediaInit } from './call-media.ts'

/**
 * A call's STUN and TURN servers, and whether it may go only through TURN: the page's own
 * (config.json's `iceServers`), then the STUN servers of the relays it is connected to
 * (src/stun, read now: a relay that connected or left since the last call counts), the same the
 * node's own WebRTC asks. No third party's server: a public STUN server would learn of each call.
 */
export function callRtcConfiguration (init: CallMediaInit): Pick<RTCConfiguration, 'iceServers' | 'iceTransportPolicy'> {
  return {
    iceServers: [...(init.iceServers ?? []), ...(init.stunServers?.() ?? [])],
    iceTransportPolicy: init.iceTransportPolicy ?? 'all'
  }
}
