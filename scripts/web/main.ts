import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startDaemon } from '../../src/cli/daemon.ts'
import { buildWeb } from './build.ts'
import { startStaticServer } from './static-server.ts'

/**
 * `npm run web`: builds the web app, starts a relay on this machine (loopback only: WebSockets
 * and WebRTC-Direct for pages, TCP for CLI nodes), serves the app on 127.0.0.1 with a config.json
 * naming that relay, and prints the URL. Ctrl-C stops both.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    data: { type: 'string', default: join(homedir(), '.parley-web-relay') },
    help: { type: 'boolean', default: false }
  }
})
if (values.help) {
  console.log('npm run web [-- --port 8080] [-- --data DIR]   (DIR: the local relay\'s data directory)')
  process.exit(0)
}

const built = await buildWeb()
const relay = await startDaemon({
  dataDir: values.data,
  relay: true,
  lan: true,
  mdns: false,
  listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws', '/ip4/127.0.0.1/udp/0/webrtc-direct']
})
const addresses = relay.parley.addresses().map(String)
const server = await startStaticServer({
  root: built.outDir,
  port: Number(values.port),
  config: { bootstrap: addresses.filter(a => a.includes('/ws/') || a.includes('/webrtc-direct/')), lan: true }
})

console.log(`Parley web app: ${server.url}`)
console.log('Each browser profile is its own user (open a second one, e.g. a private window, to chat with yourself).')
console.log(`A CLI node can join with: npm start -- --bootstrap ${addresses.find(a => a.includes('/tcp/') && !a.includes('/ws/')) ?? addresses[0]}`)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  console.log('stopping (messages on their way get up to 10 s to land)')
  void Promise.all([server.close(), relay.stop()]).then(() => { process.exit(0) })
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
