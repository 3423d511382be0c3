/**
 * The call frame worker (browsers; built on its own as `call-worker.js`): seals the frames a
 * call sends and opens those it receives (frame-crypto.ts), as `RTCRtpScriptTransform`s hand
 * them over. A frame that does not open is dropped, never played. Every REPORT_EVERY frames it
 * tells the page how many went through and how many failed, per stream. Chrome runs a
 * transform only if it is set on the sender or receiver before its first frame, so the page sets
 * them as it adds its tracks, and tells the worker the other side's key once it comes (a call
 * whose other side cannot seal sends and receives its frames as they are).
 */
import { clearBytes, importFrameKey, openFrame, sealFrame } from './frame-crypto.ts'
import type { StreamKind } from './frame-crypto.ts'

/** What the page gives each transform */
export interface FrameTransformOptions {
  call: string
  side: 'send' | 'receive'
  kind: StreamKind
  /** This side's own key, to send (a receiving transform waits for the other side's, `FrameKey`) */
  key?: Uint8Array
}

/**
 * What the page tells the worker once the other side's first description came: its key, which
 * opens what it sends; none (its browser cannot seal frames): both ways go as they are
 */
export interface FrameKey {
  call: string
  remoteKey: Uint8Array
}

/** What the worker tells the page */
export interface FrameReport {
  call: string
  side: 'send' | 'receive'
  kind: StreamKind
  frames: number
  failed: number
}

const REPORT_EVERY = 25

interface EncodedFrame {
  data: ArrayBuffer
  type?: 'key' | 'delta' | 'empty'
}

const scope = self as unknown as { onrtctransform: ((event: any) => void) | null, onmessage: ((event: MessageEvent<FrameKey>) => void) | null, postMessage: (message: FrameReport) => void }

/** Each call's other side's key (undefined: it seals nothing), once the page has it */
const remoteKeys = new Map<string, { key: Promise<CryptoKey | undefined>, resolve: (key: CryptoKey | undefined) => void }>()

function remoteKeyOf (call: string): { key: Promise<CryptoKey | undefined>, resolve: (key: CryptoKey | undefined) => void } {
  let entry = remoteKeys.get(call)
  if (entry == null) {
    let resolve!: (key: CryptoKey | undefined) => void
    entry = { key: new Promise(r => { resolve = r }), resolve }
    remoteKeys.set(call, entry)
  }
  return entry
}

scope.onmessage = ({ data }) => {
  const entry = remoteKeyOf(data.call)
  if (data.remoteKey.byteLength === 0) entry.resolve(undefined)
  else importFrameKey(data.remoteKey).then(entry.resolve, () => { entry.resolve(undefined) })
}

scope.onrtctransform = (event: any) => {
  const transformer = event.transformer as { options: FrameTransformOptions, readable: ReadableStream<EncodedFrame>, writable: WritableStream<EncodedFrame> }
  const { call, side, kind, key: own } = transformer.options
  const ownKey = own != null ? importFrameKey(own) : undefined
  // sealing needs the other side able to open: both wait for its key (or word that it has none)
  const remoteKey = remoteKeyOf(call).key
  let counter = 0n
  const report: FrameReport = { call, side, kind, frames: 0, failed: 0 }
  const tally = (ok: boolean): void => {
    if (ok) report.frames++
    else report.failed++
    if ((report.frames + report.failed) % REPORT_EVERY === 1) scope.postMessage({ ...report })
  }
  transformer.readable.pipeThrough(new TransformStream<EncodedFrame, EncodedFrame>({
    transform: async (frame, controller) => {
      const theirs = await remoteKey
      if (frame.data.byteLength === 0 || theirs == null) {
        controller.enqueue(frame)
        return
      }
      const clear = clearBytes(kind, frame.type === 'key')
      try {
        frame.data = side === 'send' ? await sealFrame((await ownKey)!, kind, counter++, frame.data, clear) : await openFrame(theirs, kind, frame.data, clear)
        tally(true)
        controller.enqueue(frame)
      } catch {
        tally(false)
      }
    }
  })).pipeTo(transformer.writable).catch(() => {})
}
