/**
 * The configuration @libp2p/webrtc asks for at each peer connection it makes or answers (it
 * calls a function-valued `rtcConfiguration` every time, and writes into what it gets, so each
 * call returns a new object)
 */
export function withStunServers<T extends { iceServers: RTCIceServer[] }> (base: T, stunServers?: () => RTCIceServer[]): () => T {
  return () => ({ ...base, iceServers: [...base.iceServers, ...(stunServers?.() ?? [])] })
}
