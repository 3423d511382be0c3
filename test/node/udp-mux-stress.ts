/**
 * Run by udp-mux-guard.spec.ts in a process of its own, since what it guards against kills the
 * process: WebRTC-Direct mux listeners are opened and stopped one after another while STUN
 * binding requests keep arriving at every port used so far. Prints what it saw as JSON.
 * UDP_MUX_STRESS_UNGUARDED=1 leaves the guard out, to watch the crash it prevents (SIGABRT or
 * SIGSEGV in most runs: libdatachannel frees a listener that libjuice still calls).
 */
import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { guardUdpMuxListeners, heldUdpMuxListeners } from '../../src/node/udp-mux-guard.ts'

const LISTENERS = 30
const REQUESTS_PER_PORT = 10
const SOAK_MS = 300

if (process.env.UDP_MUX_STRESS_UNGUARDED == null) guardUdpMuxListeners()
// after the guard, as @libp2p/webrtc loads it
const { IceUdpMuxListener } = await import('node-datachannel')

/**
 * A STUN binding request from a stranger: libjuice passes one to the mux listener when its
 * USERNAME is `local:remote` (4+ ICE characters each) and it carries MESSAGE-INTEGRITY, which
 * nobody can check for a ufrag no agent owns
 */
function bindingRequest (): Buffer {
  const username = Buffer.from('ufragA:ufragB')
  const attributes = Buffer.concat([
    Buffer.from([0x00, 0x06, 0x00, username.length]), username, Buffer.alloc((4 - username.length % 4) % 4),
    Buffer.from([0x00, 0x08, 0x00, 20]), randomBytes(20)
  ])
  const header = Buffer.alloc(20)
  header.writeUInt16BE(0x0001, 0)
  header.writeUInt16BE(attributes.length + 8, 2)
  header.writeUInt32BE(0x2112A442, 4)
  randomBytes(12).copy(header, 8)
  const message = Buffer.concat([header, attributes])
  const fingerprint = Buffer.alloc(8)
  fingerprint.writeUInt16BE(0x8028, 0)
  fingerprint.writeUInt16BE(4, 2)
  fingerprint.writeUInt32BE((crc32(message) ^ 0x5354554e) >>> 0, 4)
  return Buffer.concat([message, fingerprint])
}

const socket = createSocket('udp4')
const firstPort = 45_000 + Math.floor(Math.random() * 200) * LISTENERS
const ports: number[] = []
let callsAfterStop = 0
for (let i = 0; i < LISTENERS; i++) {
  const port = firstPort + i
  const listener = new IceUdpMuxListener(port, '127.0.0.1')
  let stopped = false
  listener.onUnhandledStunRequest(() => { if (stopped) callsAfterStop++ })
  listener.stop()
  stopped = true
  ports.push(port)
  for (const p of ports) {
    for (let k = 0; k < REQUESTS_PER_PORT; k++) socket.send(bindingRequest(), p, '127.0.0.1')
  }
  await new Promise(resolve => setImmediate(resolve))
}
// what is tested is the absence of a crash, which no event announces: libjuice's threads get a
// moment to hand the requests on (unguarded, the crash comes within it in nearly every run)
await new Promise(resolve => setTimeout(resolve, SOAK_MS))
process.stdout.write(JSON.stringify({ listeners: LISTENERS, held: heldUdpMuxListeners(), callsAfterStop }) + '\n')
// a held listener keeps the event loop alive by design (see udp-mux-guard.ts)
process.exit(0)
