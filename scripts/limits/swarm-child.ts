/**
 * An attacker's process, run inside a network namespace so that its connections come from that
 * namespace's IP (scripts/limits/netns-limits.ts starts it):
 *
 *   swarm-child.ts dial <target multiaddr> <count> <per second>   fresh identities dial, paced
 *   swarm-child.ts silent <target multiaddr> <count>              raw sockets that send nothing,
 *                                                                  opened on a line on stdin
 *   swarm-child.ts reserve <relay multiaddr> <count> <per second>  fresh identities reserve, paced
 *   swarm-child.ts streams <target multiaddr> <protocol> <count>   streams held on one connection
 *   swarm-child.ts deposit <storer multiaddr> <key hex> <depositors> <each>   envelopes under a key
 *   swarm-child.ts strangers <relay multiaddr> <to peer> <strangers> <each> <bytes> <my ip>
 *                                                                  Parley nodes writing requests
 *
 * Prints one JSON line with what it got, then holds every connection until SIGTERM.
 */
import net from 'node:net'
import { createInterface } from 'node:readline'
import { multiaddr } from '@multiformats/multiaddr'
import { fromString as fromHex } from 'uint8arrays/from-string'
import { StoreResponse } from '../../src/protocols/mailbox/pb/mailbox.ts'
import { Swarm, holdStreams, inBatches, reserveOne, storeAt } from './attackers.ts'
import { Strangers } from './strangers.ts'

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
} else if (mode === 'reserve') {
  const perSecond = Number(rateText)
  const ma = multiaddr(target)
  const started = Date.now()
  const results = await Promise.all((await swarm.grow(count)).map(async (node, i) => {
    await new Promise(resolve => setTimeout(resolve, Math.max(0, started + (i * 1_000) / perSecond - Date.now())))
    return reserveOne(node, ma)
  }))
  console.log(JSON.stringify({ offered: count, granted: results.filter(Boolean).length }))
} else if (mode === 'streams') {
  const [protocol, streamsText] = process.argv.slice(4)
  const [node] = await swarm.grow(1)
  const { figures } = await holdStreams(node, target, protocol, Number(streamsText))
  console.log(JSON.stringify(figures))
} else if (mode === 'deposit') {
  const [keyHex, depositorsText, eachText] = process.argv.slice(4)
  const key = fromHex(keyHex, 'base16') as Uint8Array<ArrayBuffer>
  let stored = 0
  await inBatches(await swarm.grow(Number(depositorsText)), 8, async node => {
    for (let n = 0; n < Number(eachText); n++) {
      if (await storeAt(node, target, key) === StoreResponse.Status.STORED) stored++
    }
  })
  console.log(JSON.stringify({ offered: Number(depositorsText) * Number(eachText), stored }))
} else if (mode === 'strangers') {
  const [to, strangersText, eachText, bytesText, ip] = process.argv.slice(4)
  const strangers = new Strangers([target], { lan: false, listen: [`/ip4/${ip}/tcp/0`] })
  process.removeAllListeners('SIGTERM')
  process.once('SIGTERM', () => { void strangers.stop().finally(() => process.exit(0)) })
  await strangers.grow(Number(strangersText), 1_000)
  const figures = await strangers.write(to, Number(eachText), Number(bytesText))
  console.log(JSON.stringify({ ...figures, ids: strangers.nodes.map(n => n.peerId.toString()) }))
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(2)
}
