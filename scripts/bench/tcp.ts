/** The raw baseline: `node:net` on 127.0.0.1, no encryption, no multiplexing */
import { once } from 'node:events'
import { createConnection, createServer } from 'node:net'
import { ByteCounter, pump, roundTrips } from './echo.ts'
import { medianOf, mibPerSecond, summarize } from './stats.ts'
import type { BenchConfig, Figures } from './config.ts'
import type { Server, Socket } from 'node:net'

const HOST = '127.0.0.1'

async function listen (onSocket: (socket: Socket) => void): Promise<Server> {
  const server = createServer({ noDelay: true }, onSocket)
  server.listen(0, HOST)
  await once(server, 'listening')
  return server
}

async function connect (server: Server): Promise<Socket> {
  const address = server.address()
  if (address == null || typeof address === 'string') throw new Error('the server has no TCP address')
  const socket = createConnection({ host: HOST, port: address.port, noDelay: true })
  await once(socket, 'connect')
  return socket
}

async function close (server: Server, sockets: Socket[]): Promise<void> {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>(resolve => server.close(() => { resolve() }))
}

/** `tcp_rtt_*`: a small message echoed back on one open socket */
export async function tcpRoundTrip (config: BenchConfig): Promise<Figures> {
  const server = await listen(socket => { socket.on('data', data => socket.write(data)) })
  const socket = await connect(server)
  try {
    const counter = new ByteCounter()
    socket.on('data', data => { counter.add(data.byteLength) })
    const samples = summarize(await roundTrips({ send: data => socket.write(data), counter }, config.messageBytes, config.rttWarmup, config.rttIterations))
    return { tcp_rtt_us: samples.p50, tcp_rtt_p99_us: samples.p99 }
  } finally {
    await close(server, [socket])
  }
}

/** One connection, one direction, timed until the receiver has every byte (MiB/s) */
async function tcpThroughputRun (config: BenchConfig): Promise<number> {
  const received = new ByteCounter()
  const server = await listen(socket => { socket.on('data', data => { received.add(data.byteLength) }) })
  const socket = await connect(server)
  try {
    const ms = await pump({
      write: data => socket.write(data),
      drain: async () => { await once(socket, 'drain') }
    }, received, config.bulkBytes, config.chunkBytes)
    return mibPerSecond(config.bulkBytes, ms)
  } finally {
    await close(server, [socket])
  }
}

/** `tcp_MiBps` */
export async function tcpThroughput (config: BenchConfig): Promise<Figures> {
  return { tcp_MiBps: await medianOf(config.throughputRuns, async () => tcpThroughputRun(config)) }
}
