/**
 * Child process of the memory bench (spawned by memory.ts with `--expose-gc`), so the bench
 * process's own heap never counts. Talks to its parent over IPC only.
 *
 * `nodes`: RSS of the bare runtime, with the modules loaded, with one idle node, then with `extra`
 * more nodes.
 * `hub`: one node that reports its RSS and connection count whenever the parent asks.
 */
import { MiB, sleep } from './stats.ts'
import { TempDirs } from './temp-dirs.ts'
import type { ChildRequest, ChildResult, NodeKind, Usage } from './memory.ts'

interface Stoppable {
  stop(): Promise<void>
  getMultiaddrs(): Array<{ toString(): string }>
  getConnections(): unknown[]
}

const dirs = new TempDirs()

/**
 * Loads only the modules `kind` needs (so a bare libp2p process does not carry Parley's) and
 * returns a function that starts one node.
 */
async function loadNodeFactory (kind: NodeKind): Promise<() => Promise<Stoppable>> {
  const { createBareNode, LOOPBACK_TCP } = await import('./libp2p.ts')
  if (kind === 'libp2p') {
    return async () => {
      const node = await createBareNode()
      return {
        stop: async () => node.stop(),
        getMultiaddrs: () => node.getMultiaddrs(),
        getConnections: () => node.getConnections()
      }
    }
  }
  const { createParley } = await import('../../src/parley.ts')
  return async () => {
    const parley = await createParley({ dataDir: await dirs.make(), listen: [LOOPBACK_TCP], lan: true, mdns: false })
    return {
      stop: async () => parley.stop(),
      getMultiaddrs: () => parley.addresses(),
      getConnections: () => parley.node.getConnections()
    }
  }
}

/**
 * RSS (and the V8 heap in use, a steadier cross-check) after a few full collections, so garbage
 * waiting for the GC is not counted
 */
async function measure (): Promise<Usage> {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.()
    await sleep(100)
  }
  const { rss, heapUsed } = process.memoryUsage()
  return { rssMB: rss / MiB, heapMB: heapUsed / MiB }
}

async function send (message: ChildResult): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    process.send?.(message, undefined, undefined, err => { if (err == null) resolve(); else reject(err) })
  })
}

async function runNodes (kind: NodeKind, extra: number, settleMs: number): Promise<void> {
  const nodes: Stoppable[] = []
  try {
    const empty = await measure()
    const startNode = await loadNodeFactory(kind)
    const loaded = await measure()
    nodes.push(await startNode())
    await sleep(settleMs)
    const one = await measure()
    for (let i = 0; i < extra; i++) nodes.push(await startNode())
    await sleep(settleMs)
    const many = await measure()
    await send({ type: 'nodes', empty, loaded, one, many })
  } finally {
    await Promise.all(nodes.map(async node => node.stop()))
  }
}

async function runHub (kind: NodeKind): Promise<void> {
  const node = await (await loadNodeFactory(kind))()
  try {
    const stopped = new Promise<void>(resolve => {
      process.on('message', (request: ChildRequest) => {
        if (request.cmd === 'stop') {
          resolve()
          return
        }
        measure().then(async usage => send({ type: 'usage', usage, connections: node.getConnections().length }))
          .catch(err => { process.stderr.write(`memory child: ${err?.stack ?? err}\n`) })
      })
    })
    await send({ type: 'ready', addresses: node.getMultiaddrs().map(ma => ma.toString()) })
    await stopped
  } finally {
    await node.stop()
  }
}

async function main (): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}')
  try {
    if (args.mode === 'nodes') await runNodes(args.kind, args.extra, args.settleMs)
    else if (args.mode === 'hub') await runHub(args.kind)
    else throw new Error(`unknown mode ${args.mode}`)
  } finally {
    await dirs.cleanup()
  }
}

main().then(() => {
  process.disconnect?.()
  process.exit(0)
}, err => {
  process.stderr.write(`memory child failed: ${err?.stack ?? err}\n`)
  process.exit(1)
})
