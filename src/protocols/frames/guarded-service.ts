import { isPeerId } from '@libp2p/interface'
import { guardFrames } from './frame-guard.ts'
import { withComponents, withMethods } from '../../node/components-view.ts'
import type { UnfinishedFrames } from './unfinished-frames.ts'
import type { DialTarget, NewStreamOptions, Stream, StreamHandler, StreamHandlerOptions } from '@libp2p/interface'
import type { ConnectionManager, OpenConnectionOptions, Registrar } from '@libp2p/interface-internal'

export interface GuardedServiceInit {
  budget: UnfinishedFrames
  /** The longest frame the service's protocols send; unset, only the budget applies */
  maxFrameBytes?: number
}

interface StreamComponents {
  registrar: Registrar
  connectionManager: ConnectionManager
}

/**
 * A libp2p service factory whose streams are frame-guarded (`guardFrames`): those its protocol
 * handlers are given, and those it opens through the connection manager. The service is given
 * a view of its components with `registrar.handle` and `connectionManager.openStream` wrapped;
 * nothing else in the node changes.
 */
export function guardedService<C extends StreamComponents, S> (factory: (components: C) => S, init: GuardedServiceInit): (components: C) => S {
  const guard = (stream: Stream, peer: string): Stream => guardFrames(stream, { ...init, peer })
  return (components) => {
    const registrar = withMethods(components.registrar, {
      handle: async (protocol: string, handler: StreamHandler, options?: StreamHandlerOptions) => {
        await components.registrar.handle(protocol, async (stream, connection) => handler(guard(stream, connection.remotePeer.toString()), connection), options)
      }
    } as Partial<Registrar>)
    const connectionManager = withMethods(components.connectionManager, {
      openStream: async (target: DialTarget, protocol: string | string[], options?: OpenConnectionOptions & NewStreamOptions) => {
        const stream = await components.connectionManager.openStream(target, protocol, options)
        // (kad-dht dials by PeerId; an address stands for its peer well enough to budget by)
        return guard(stream, isPeerId(target) ? target.toString() : String(target))
      }
    } as Partial<ConnectionManager>)
    return factory(withComponents(components, { registrar, connectionManager } as Partial<C>))
  }
}
