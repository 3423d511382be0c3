/**
 * Media frames sealed end to end on top of DTLS-SRTP (after SFrame, RFC 9605, in spirit): each
 * side seals what it sends with its own AES-256-GCM key, which travels to the other side only
 * inside the call's end-to-end encrypted signalling. So a frame stays sealed through anything
 * that sees the media (a TURN server, a broken DTLS). A sealed frame is
 *
 *   [clear header][ciphertext and 16-byte tag][8-byte counter, big-endian]
 *
 * The clear header is the few bytes a packetizer reads (VP8's payload header: 10 bytes of a key
 * frame, 3 of another; Opus's TOC byte); it is authenticated as additional data. The IV is the
 * stream's kind (4 bytes: 1 audio, 2 video) and the counter (8 bytes), so one key's two streams
 * never share an IV. WebCrypto does the AES-GCM.
 */

import { FrameOpenError } from '../../calls/errors.ts'

/** The counter at the end of a sealed frame */
const COUNTER_BYTES = 8
const TAG_BYTES = 16
const STREAM_IDS = { audio: 1, video: 2 } as const

export type StreamKind = keyof typeof STREAM_IDS


/** How many bytes of a frame stay in the clear for the packetizer */
export function clearBytes (kind: StreamKind, keyFrame: boolean): number {
  if (kind === 'audio') return 1
  return keyFrame ? 10 : 3
}

export async function importFrameKey (raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

function ivOf (kind: StreamKind, counter: bigint): Uint8Array<ArrayBuffer> {
  const iv = new Uint8Array(12)
  const view = new DataView(iv.buffer)
  view.setUint32(0, STREAM_IDS[kind])
  view.setBigUint64(4, counter)
  return iv
}

/** Seals a frame's bytes under `key`, its `counter`th of this stream (never repeated for a key and kind) */
export async function sealFrame (key: CryptoKey, kind: StreamKind, counter: bigint, data: ArrayBuffer, clear: number): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(data)
  const header = bytes.subarray(0, Math.min(clear, bytes.byteLength))
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: ivOf(kind, counter), additionalData: header }, key, bytes.subarray(header.byteLength)))
  const out = new Uint8Array(header.byteLength + sealed.byteLength + COUNTER_BYTES)
  out.set(header)
  out.set(sealed, header.byteLength)
  new DataView(out.buffer).setBigUint64(out.byteLength - COUNTER_BYTES, counter)
  return out.buffer
}

/**
 * Opens a frame `sealFrame` made
 *
 * @throws {FrameOpenError} when it does not open under `key`
 */
export async function openFrame (key: CryptoKey, kind: StreamKind, data: ArrayBuffer, clear: number): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(data)
  if (bytes.byteLength < clear + TAG_BYTES + COUNTER_BYTES) throw new FrameOpenError('the frame is too short to be sealed')
  const counter = new DataView(data).getBigUint64(bytes.byteLength - COUNTER_BYTES)
  const header = bytes.subarray(0, clear)
  try {
    const opened = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: ivOf(kind, counter), additionalData: header }, key, bytes.subarray(clear, bytes.byteLength - COUNTER_BYTES)))
    const out = new Uint8Array(clear + opened.byteLength)
    out.set(header)
    out.set(opened, clear)
    return out.buffer
  } catch {
    throw new FrameOpenError('the frame does not open under the sender\'s key')
  }
}
