/**
 * Child of two-process.ts: one end of a throughput run, talking to its parent over IPC only.
 * A receiver listens on 127.0.0.1 and reports the time its last byte arrived; a sender connects,
 * waits for 'go', writes with the same loop as the one-process benches and reports when it
 * started. Both close on 'stop'.
 */
import { once } from 'node:events'
import { createConnection, createServer } from 'node:net'
import { ByteCounter, randomChunk, writeAll } from './echo.ts'
import { cpuUsSince } from './stats.ts'
import type { BulkSink } from './echo.ts'
import type { EndArgs, EndMessage, EndRequest } from './two-process.ts'

const HOST = '127.0.0.1'

/** An open end: where a sender connects (receivers), what it writes to (senders), how to close */
interface End {
  address?: string
  sink?: BulkSink
  close(): Promise<void>
}

async function send (message: EndMessage): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    process.send?.(message, undefined, undefined, err => { if (err == null) resolve(); else reject(err) })
  })
}

/** Resolves on the parent's first `cmd` request; listens from the start, so none is missed */
function request (cmd: EndRequest['cmd']): Promise<void> {
  return new Promise(resolve => {
    const listener = (message: EndRequest): void => {
      if (message.cmd !== cmd) return
      process.off('message', listener)
      resolve()
    }
    process.on('message', listener)
  })
}

async function openTcp (args: EndArgs, received: ByteCounter): Promise<End> {
  if (args.role === 'receiver') {
    const server = createServer({ noDelay: true }, socket => { socket.on('data', data => { received.add(data.byteLength) }) })
    server.listen(0, HOST)
    await once(server, 'listening')
    const address = server.address()
    if (address == null || typeof address === 'string') throw new Error('the server has no TCP address')
    return {
      address: String(address.port),
      close: async () => { await new Promise<void>(resolve => { server.close(() => { resolve() }) }) }
    }
  }
  const socket = createConnection({ host: HOST, port: Number(args.address), noDelay: true })
  await once(socket, 'connect')
  return {
    sink: { write: data => socket.write(data), drain: async () => { await once(socket, 'drain') } },
    close: async () => { socket.destroy() }
  }
}

async function openLibp2p (args: EndArgs, received: ByteCounter): Promise<End> {
  const { multiaddr } = await import('@multiformats/multiaddr')
  const { countInto, createBareNode, drained, SINK_PROTOCOL } = await import('./libp2p.ts')
  const node = await createBareNode({ tuned: args.kind === 'libp2p-tuned' })
  if (args.role === 'receiver') {
    await node.handle(SINK_PROTOCOL, stream => { countInto(stream, received) })
    return { address: node.getMultiaddrs()[0].toString(), close: async () => { await node.stop() } }
  }
  const stream = await node.dialProtocol(multiaddr(args.address ?? ''), SINK_PROTOCOL)
  return {
    sink: { write: data => stream.send(data), drain: async () => { await drained(stream) } },
    close: async () => {
      await stream.close()
      await node.stop()
    }
  }
}

async function main (): Promise<void> {
  const args: EndArgs = JSON.parse(process.argv[2] ?? '{}')
  const go = request('go')
  const stop = request('stop')
  const received = new ByteCounter()
  const end = args.kind === 'tcp' ? await openTcp(args, received) : await openLibp2p(args, received)
  try {
    if (end.sink == null) {
      const cpu = process.cpuUsage()
      await send({ type: 'listening', address: end.address ?? '' })
      await received.reach(args.totalBytes)
      await send({ type: 'received', endNs: process.hrtime.bigint().toString(), cpuUs: cpuUsSince(cpu) })
    } else {
      const chunk = randomChunk(args.chunkBytes)
      await send({ type: 'connected' })
      await go
      const start = process.hrtime.bigint()
      const cpu = process.cpuUsage()
      await writeAll(end.sink, chunk, args.totalBytes)
      await send({ type: 'sent', startNs: start.toString(), cpuUs: cpuUsSince(cpu) })
    }
    await stop
  } finally {
    await end.close()
  }
}

main().then(() => {
  process.disconnect?.()
  process.exit(0)
}, err => {
  process.stderr.write(`two-process child failed: ${err?.stack ?? err}\n`)
  process.exit(1)
})
