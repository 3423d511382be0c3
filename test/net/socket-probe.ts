/**
 * A tiny socket program the self-test runs inside namespaces. It reports on stdout as JSON
 * lines, so the test waits for events instead of sleeping:
 *
 *   udp [--port P] [--echo]      bind; {"event":"bound"}; print each datagram as {"event":"message"};
 *                                with --echo, answer each with the sender's "address:port" as seen
 *                                here. Each stdin line {"to","port","text"} is sent ({"event":"sent"}).
 *   tcp-server [--port P]        listen; {"event":"listening"}; tell each client its "address:port"
 *                                as seen here ({"event":"accepted"})
 *   tcp-connect --host H --port P --timeout-ms T
 *                                {"event":"connected","observed"} and exit 0, or
 *                                {"event":"failed","code"} and exit 1
 */

import { createSocket } from 'node:dgram'
import { connect, createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'

const emit = (event: Record<string, unknown>): void => {
  process.stdout.write(JSON.stringify(event) + '\n')
}

const [mode, ...rest] = process.argv.slice(2)
const { values } = parseArgs({
  args: rest,
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string' },
    echo: { type: 'boolean', default: false },
    'timeout-ms': { type: 'string', default: '2000' }
  }
})
const port = Number(values.port)

if (mode === 'udp') {
  const socket = createSocket('udp4')
  socket.on('message', (msg, from) => {
    emit({ event: 'message', address: from.address, port: from.port, text: msg.toString() })
    if (values.echo) socket.send(`${from.address}:${from.port}`, from.port, from.address)
  })
  socket.bind(port, '0.0.0.0', () => {
    emit({ event: 'bound', port: socket.address().port })
    const lines = createInterface({ input: process.stdin })
    lines.on('line', line => {
      const command = JSON.parse(line)
      socket.send(command.text, command.port, command.to, err => emit({ event: 'sent', ...command, error: err?.message }))
    })
    lines.on('close', () => socket.close())
  })
} else if (mode === 'tcp-server') {
  const server = createServer(socket => {
    emit({ event: 'accepted', address: socket.remoteAddress, port: socket.remotePort })
    // a client that resets before reading is its own business
    socket.on('error', () => {})
    socket.end(`${socket.remoteAddress}:${socket.remotePort}`)
  })
  server.listen(port, '0.0.0.0', () => {
    const address = server.address()
    emit({ event: 'listening', port: typeof address === 'object' && address != null ? address.port : port })
  })
} else if (mode === 'tcp-connect') {
  const timer = setTimeout(() => fail('TIMEOUT'), Number(values['timeout-ms']))
  const socket = connect({ host: values.host, port })
  let observed = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => { observed += chunk })
  socket.on('end', () => {
    clearTimeout(timer)
    emit({ event: 'connected', observed, localPort: socket.localPort })
    process.exit(0)
  })
  socket.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message))
} else {
  process.stderr.write(`unknown mode ${mode}\n`)
  process.exit(2)
}

function fail (code: string): never {
  emit({ event: 'failed', code })
  process.exit(1)
}
