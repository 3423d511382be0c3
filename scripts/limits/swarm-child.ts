/**
 * An attacker's process, run inside a network namespace so that its connections come from that
 * namespace's IP (scripts/limits/netns-limits.ts starts it):
 *
 *   swarm-child.ts dial <target multiaddr> <count> <per second>   fresh identities dial, paced
 *   swarm-child.ts silent <target multiaddr> <count>              raw sockets that send nothing,
 *                                                                  opened on a line on stdin
 *
 * Prints one JSON line with what it got, then holds every connection until SIGTERM.
 */
import net from 'node:net'
import { createInterface } from 'node:readline'
import { multiaddr } from '@multiformats/multiaddr'
import { Swarm } from './attackers.ts'

const [mode, target, countText, rateText] = process.argv.slice(2)
const count = Number(countText)
const swarm = new Swarm()
const sockets: net.Socket[] = []

process.once('SIGTERM', () => {
  for (const socket of sockets) socket.destroy()
  void swarm.stop().finally(() => process.exit(0))
})

if (mode === 'dial') {
  const perSecond = Number(rateText)
  const nodes = await swarm.grow(count)
  const ma = multiaddr(target)
  const started = Date.now()
  const results = await Promise.all(nodes.map(async (node, i) => {
    // the i-th dial starts at i / perSecond s: a steady rate, not one burst
    await new Promise(resolve => setTimeout(resolve, Math.max(0, started + (i * 1_000) / perSecond - Date.now())))
    return node.dial(ma, { signal: AbortSignal.timeout(20_000) }).then(() => true, () => false)
  }))
  console.log(JSON.stringify({ offered: count, connected: results.filter(Boolean).length, seconds: (Date.now() - started) / 1_000 }))
} else if (mode === 'silent') {
  // many of these start at once: each says it is ready, and opens its sockets on the word (a
  // line on stdin), so that all of them are offered together
  console.log(JSON.stringify({ ready: true }))
  await new Promise(resolve => createInterface({ input: process.stdin }).once('line', resolve))
  const parts = multiaddr(target).getComponents()
  const host = parts.find(c => c.name === 'ip4' || c.name === 'ip6')?.value
  const port = Number(parts.find(c => c.name === 'tcp')?.value)
  let closedEarly = 0
  await Promise.all(Array.from({ length: count }, async () => new Promise<void>(resolve => {
    const socket = net.connect({ host, port }, () => { resolve() })
    sockets.push(socket)
    socket.on('error', () => { resolve() })
    socket.on('close', () => { closedEarly++; resolve() })
  })))
  // a refused socket is closed by the node at once; an admitted one waits for its handshake
  await new Promise(resolve => setTimeout(resolve, 1_000))
  console.log(JSON.stringify({ offered: count, open: sockets.filter(s => !s.destroyed && s.readyState === 'open').length, closedEarly }))
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
