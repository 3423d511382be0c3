import { encodingLength } from 'uint8-varint'
import { FrameTooLongError } from './errors.ts'
import { InvalidLengthPrefixError } from '../length-prefix.ts'
import type { UnfinishedFrames } from './unfinished-frames.ts'
import type { Stream, StreamMessageEvent } from '@libp2p/interface'

export interface FrameGuardInit {
  /** Whose frames these are: the budget is per peer */
  peer: string
  /** Frames longer than this, or a prefix longer than such a frame needs, abort the stream */
  maxFrameBytes?: number
  /** Where the bytes of frames under way are charged */
  budget: UnfinishedFrames
}

type MessageListener = (evt: StreamMessageEvent) => void

/**
 * `stream` as its reader sees it, with the length-prefixed frames (unsigned varint, then that
 * many bytes) coming in on it checked as they arrive: a length prefix longer than a frame of
 * `maxFrameBytes` needs, or a longer frame, aborts the stream at once, and the bytes of the
 * frame under way are charged to `budget` until it ends (see UnfinishedFrames).
 *
 * For readers this project does not write (kad-dht reads frames of any length, and a varint
 * that never ends for as long as the peer sends it): the guard sees each chunk the reader is
 * given, and nothing else, by wrapping the reader's own `message` listeners. A listener of its
 * own beside the reader's could take data buffered before the reader listened, which the
 * stream hands to the first listener there is.
 */
export function guardFrames<S extends Stream> (stream: S, init: FrameGuardInit): S {
  const { peer, budget } = init
  const maxFrameBytes = init.maxFrameBytes ?? Number.MAX_SAFE_INTEGER
  const maxPrefixBytes = encodingLength(maxFrameBytes)
  let prefixBytes = 0
  let length = 0
  /** Bytes still to come of the frame under way; -1 while its prefix is read */
  let remaining = -1
  let charged = 0
  let failed = false
  const seen = new WeakSet<object>()
  const wrapped = new Map<MessageListener, MessageListener>()

  const fail = (err: Error): void => {
    failed = true
    budget.release(peer, charged)
    charged = 0
    stream.abort(err)
  }

  const endFrame = (): void => {
    budget.release(peer, charged)
    charged = 0
    prefixBytes = 0
    length = 0
    remaining = -1
  }

  const inspect = (chunk: Uint8Array): void => {
    let at = 0
    while (at < chunk.byteLength) {
      if (remaining < 0) {
        const byte = chunk[at++]
        length += (byte & 0x7f) * 2 ** (7 * prefixBytes)
        prefixBytes++
        if (byte >= 0x80) {
          if (prefixBytes >= maxPrefixBytes) throw new InvalidLengthPrefixError(`the length prefix is over ${maxPrefixBytes} bytes: no frame under ${maxFrameBytes} bytes needs one`)
          continue
        }
        if (length > maxFrameBytes) throw new FrameTooLongError(`a frame of ${length} bytes is over the ${maxFrameBytes} bytes allowed`)
        remaining = length
        if (remaining === 0) endFrame()
        continue
      }
      const take = Math.min(remaining, chunk.byteLength - at)
      budget.charge(peer, take)
      charged += take
      remaining -= take
      at += take
      if (remaining === 0) endFrame()
    }
  }

  const onMessage = (evt: StreamMessageEvent): void => {
    // a reader may listen more than once (two listeners see the same event): count it once
    if (failed || seen.has(evt)) return
    seen.add(evt)
    try {
      for (const chunk of evt.data instanceof Uint8Array ? [evt.data] : evt.data) inspect(chunk)
    } catch (err: any) {
      fail(err)
    }
  }

  stream.addEventListener('close', () => {
    budget.release(peer, charged)
    charged = 0
  }, { once: true })

  return new Proxy(stream, {
    get (target, prop) {
      if (prop === 'addEventListener') {
        return (type: string, listener: any, options?: any) => {
          if (type !== 'message' || typeof listener !== 'function') return target.addEventListener(type as any, listener, options)
          const guarded: MessageListener = evt => {
            onMessage(evt)
            if (!failed) listener(evt)
          }
          wrapped.set(listener, guarded)
          target.addEventListener('message', guarded, options)
        }
      }
      if (prop === 'removeEventListener') {
        return (type: string, listener: any, options?: any) => {
          const guarded = type === 'message' ? wrapped.get(listener) : undefined
          if (guarded != null) wrapped.delete(listener)
          target.removeEventListener(type as any, guarded ?? listener, options)
        }
      }
      // `this` is the stream itself: its class keeps private fields a proxy does not have
      const value = Reflect.get(target, prop, target)
      // methods are bound to the stream; an own property that is a function is a value (its
      // logger, whose .error and .trace a bound copy would not have)
      return typeof value === 'function' && !Object.hasOwn(target, prop) ? value.bind(target) : value
    }
  })
}
