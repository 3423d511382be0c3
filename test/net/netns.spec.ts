import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { InternetBox, NAT_KINDS, BoxDestroyedError, NAMESPACE_PREFIX } from './index.ts'
import { Probe } from './probe.ts'
import type { Host, NatKind, NattedHost, Namespace, Flow } from './index.ts'
import type { ProbeEvent } from './probe.ts'

/** Long enough for a SYN to be answered on a veth; a dropped one is retried only after 1 s */
const UNSOLICITED_CONNECT_TIMEOUT_MS = 1_500

const HOST_NAMES: Record<NatKind, string> = { 'port-restricted': 'pr', 'full-cone': 'fc', symmetric: 'sy' }

const isRoot = process.getuid?.() === 0

/** What the caller's own namespace looks like; the box must leave it exactly so */
function hostNetworkSnapshot (): string {
  const views = [['-br', 'link'], ['-br', 'addr'], ['route'], ['-6', 'route'], ['netconf']]
  return views.map(args => execFileSync('ip', args, { encoding: 'utf8' })).join('\n')
}

function listNamespaces (): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map(line => line.split(' ')[0]).filter(Boolean)
}

describe('InternetBox: the internet in a box from network namespaces (skipped unless run as root)', function () {
  this.timeout(30_000)
  let net: InternetBox
  let x: Host
  let y: Host
  const natted = {} as Record<NatKind, NattedHost>
  let snapshotBefore: string
  let probes: Probe[] = []

  /** Starts a probe and resolves once it reports `ready` (bound, listening) */
  async function start (ns: Namespace, args: string[], ready: string): Promise<{ probe: Probe, port: number }> {
    const probe = new Probe(ns, args)
    probes.push(probe)
    const event = await probe.waitFor(`${args[0]} in ${ns.name} to be ${ready}`, e => e.event === ready)
    return { probe, port: event.port }
  }

  /** A TCP connect from `ns`; resolves with its outcome, `connected` or `failed` */
  async function tcpConnect (ns: Namespace, host: string, port: number, timeoutMs = 5_000): Promise<ProbeEvent> {
    const probe = new Probe(ns, ['tcp-connect', '--host', host, '--port', String(port), '--timeout-ms', String(timeoutMs)])
    probes.push(probe)
    await probe.exited(timeoutMs + 5_000)
    return probe.waitFor('the connect outcome', e => e.event === 'connected' || e.event === 'failed')
  }

  /** Sends from a udp probe to an echoing one; resolves with the "address:port" the echo saw */
  async function observedBy (from: Probe, to: string, port: number): Promise<{ address: string, port: number }> {
    from.send({ to, port, text: 'ping' })
    const reply = await from.waitFor(`the echo from ${to}:${port}`, e => e.event === 'message' && e.address === to && e.port === port)
    const [address, observedPort] = reply.text.split(':')
    return { address, port: Number(observedPort) }
  }

  before(async function () {
    // creating namespaces, veths and nftables rules needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)
    if (!isRoot) this.skip()
    this.timeout(60_000)
    snapshotBefore = hostNetworkSnapshot()
    net = await InternetBox.create()
    x = await net.addPublicHost('x')
    y = await net.addPublicHost('y')
    for (const kind of NAT_KINDS) natted[kind] = await net.addNattedHost(HOST_NAMES[kind], { nat: kind })
  })

  afterEach(() => {
    for (const probe of probes) probe.stop()
    probes = []
  })

  after(async () => {
    await net?.destroy()
  })

  it('builds everything inside namespaces: the host namespace is unchanged and no route leads out', async () => {
    assert.equal(hostNetworkSnapshot(), snapshotBefore)
    for (const ns of net.namespaces) {
      const defaults = (await ns.runIp(['-4', 'route', 'show', 'default'])).trim()
      const expected = Object.values(natted).find(host => host.name === ns.name)
      assert.equal(defaults, expected == null ? '' : `default via ${expected.router.lanIp} dev eth0`, ns.name)
      assert.equal((await ns.runIp(['-6', 'addr'])).trim(), '', `${ns.name} has IPv6 addresses`)
    }
    assert.match(x.ip, /^11\.0\.0\.\d+$/)
    assert.equal(x.publicIp, x.ip)
    assert.match(natted.symmetric.ip, /^192\.168\.\d+\.2$/)
    assert.equal(natted.symmetric.publicIp, natted.symmetric.router.wanIp)
  })

  it('a public host reaches another over TCP and UDP', async () => {
    const server = await start(x, ['tcp-server'], 'listening')
    const outcome = await tcpConnect(y, x.ip, server.port)
    assert.equal(outcome.event, 'connected')
    assert.equal(outcome.observed, `${y.ip}:${outcome.localPort}`)

    const echo = await start(x, ['udp', '--echo'], 'bound')
    const client = await start(y, ['udp'], 'bound')
    assert.deepEqual(await observedBy(client.probe, x.ip, echo.port), { address: y.ip, port: client.port })
  })

  for (const kind of NAT_KINDS) {
    describe(`behind a ${kind} NAT`, () => {
      let host: NattedHost
      before(() => { host = natted[kind] })

      it('a host reaches a public host, which sees the router\'s address; router.flows() shows the NATted flows', async () => {
        const server = await start(x, ['tcp-server'], 'listening')
        const outcome = await tcpConnect(host, x.ip, server.port)
        assert.equal(outcome.event, 'connected')
        assert.equal(outcome.observed.split(':')[0], host.router.wanIp)

        const echo = await start(x, ['udp', '--echo'], 'bound')
        const client = await start(host, ['udp'], 'bound')
        const seen = await observedBy(client.probe, x.ip, echo.port)
        assert.equal(seen.address, host.router.wanIp)

        const routerFlows = await host.router.flows()
        const flowOf = (proto: string, dport: number): Flow | undefined => routerFlows.find(f =>
          f.proto === proto && f.original.src === host.ip && f.original.dst === x.ip && f.original.dport === dport)
        const udp = flowOf('udp', echo.port)
        assert.ok(udp != null, `no udp flow in ${JSON.stringify(routerFlows)}`)
        assert.equal(udp.reply.dst, host.router.wanIp)
        assert.equal(udp.reply.dport, seen.port)
        assert.ok(udp.original.packets > 0 && udp.reply.packets > 0 && udp.original.bytes > 0, JSON.stringify(udp))
        const tcp = flowOf('tcp', server.port)
        assert.ok(tcp != null && tcp.original.packets > 0 && tcp.reply.packets > 0, `no tcp flow in ${JSON.stringify(routerFlows)}`)

        // the public side never sees the private address
        const publicFlows = await x.flows()
        assert.ok(publicFlows.some(f => f.proto === 'udp' && f.original.src === host.router.wanIp && f.original.dport === echo.port))
        assert.ok(!publicFlows.some(f => f.original.src === host.ip || f.reply.dst === host.ip))
      })

      it('nothing on the public side can connect to the host\'s listening port', async () => {
        const server = await start(host, ['tcp-server'], 'listening')
        // the listener works: the router, on the LAN side, reaches it
        assert.equal((await tcpConnect(host.router, host.ip, server.port)).event, 'connected')
        const outcome = await tcpConnect(x, host.publicIp, server.port, UNSOLICITED_CONNECT_TIMEOUT_MS)
        // dropped without a reset, as home routers do
        assert.deepEqual([outcome.event, outcome.code], ['failed', 'TIMEOUT'])
      })

      const independentMapping = kind !== 'symmetric'
      it(`one socket gets ${independentMapping ? 'the same external port' : 'a new external port'} for each destination`, async () => {
        const echoX = await start(x, ['udp', '--echo'], 'bound')
        const echoY = await start(y, ['udp', '--echo'], 'bound')
        const client = await start(host, ['udp'], 'bound')
        const seenByX = await observedBy(client.probe, x.ip, echoX.port)
        const seenByY = await observedBy(client.probe, y.ip, echoY.port)
        assert.equal(seenByX.address, host.publicIp)
        assert.equal(seenByY.address, host.publicIp)
        if (independentMapping) {
          // Linux keeps the source port when it is free
          assert.deepEqual([seenByX.port, seenByY.port], [client.port, client.port])
        } else {
          assert.notEqual(seenByX.port, seenByY.port)
        }
      })

      const independentFiltering = kind === 'full-cone'
      it(`after the host sent to x, y (never contacted) ${independentFiltering ? 'can' : 'cannot'} send to its mapped port; x can`, async () => {
        const echoX = await start(x, ['udp', '--echo'], 'bound')
        const client = await start(host, ['udp'], 'bound')
        const mapped = await observedBy(client.probe, x.ip, echoX.port)
        const stranger = await start(y, ['udp'], 'bound')

        stranger.probe.send({ to: mapped.address, port: mapped.port, text: 'from-y' })
        await stranger.probe.waitFor('y\'s send', e => e.event === 'sent' && e.text === 'from-y')
        echoX.probe.send({ to: mapped.address, port: mapped.port, text: 'from-x' })
        await client.probe.waitFor('x\'s unsolicited datagram', e => e.event === 'message' && e.text === 'from-x')

        const fromY = (e: ProbeEvent): boolean => e.event === 'message' && e.text === 'from-y'
        if (independentFiltering) {
          const received = await client.probe.waitFor('y\'s datagram', fromY)
          assert.deepEqual([received.address, received.port], [y.ip, stranger.port])
        } else {
          // y's datagram left before x's, on the same path; had the router let it through, it would be here
          assert.ok(!client.probe.events.some(fromY), 'the host received y\'s datagram')
        }
      })
    })
  }

  it('two NATs may use the same LAN subnet, as real home networks do', async () => {
    const lanSubnet = '192.168.77.0/24'
    const first = await net.addNattedHost('same1', { nat: 'port-restricted', lanSubnet })
    const second = await net.addNattedHost('same2', { nat: 'symmetric', lanSubnet })
    assert.equal(first.ip, '192.168.77.2')
    assert.equal(second.ip, first.ip)
    const echo = await start(x, ['udp', '--echo'], 'bound')
    for (const host of [first, second]) {
      const client = await start(host, ['udp'], 'bound')
      assert.equal((await observedBy(client.probe, x.ip, echo.port)).address, host.publicIp)
    }
    assert.notEqual(first.publicIp, second.publicIp)
  })

  it('destroy() kills what runs inside, removes every namespace, and a second destroy() is harmless', async () => {
    const box = await InternetBox.create()
    let names: string[] = []
    try {
      const publicHost = await box.addPublicHost('h')
      const nattedHost = await box.addNattedHost('n', { nat: 'full-cone' })
      names = box.namespaces.map(ns => ns.name)
      assert.deepEqual(names.filter(name => listNamespaces().includes(name)), names)
      const children = [publicHost, nattedHost, nattedHost.router].map(ns =>
        ns.spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")']))
      await Promise.all(children.map(async child => once(child.stdout, 'data')))
      const exits = children.map(async child => once(child, 'exit'))

      await box.destroy()
      for (const [code, signal] of await Promise.all(exits)) assert.deepEqual([code, signal], [null, 'SIGKILL'])
      assert.deepEqual(listNamespaces().filter(name => names.includes(name)), [])
      await Promise.all([box.destroy(), box.destroy()])
      await assert.rejects(box.addPublicHost('late'), { name: BoxDestroyedError.name })
      await assert.rejects(publicHost.exec('true'), { name: BoxDestroyedError.name })
    } finally {
      await box.destroy()
    }
  })

  it('create() removes the namespaces of a run that is gone, and leaves a live run\'s alone', async () => {
    const gone = spawn(process.execPath, ['-e', ''])
    await once(gone, 'exit')
    const stale = `${NAMESPACE_PREFIX}${gone.pid}-0-stale`
    execFileSync('ip', ['netns', 'add', stale])
    try {
      const box = await InternetBox.create()
      await box.destroy()
      const after = listNamespaces()
      assert.ok(!after.includes(stale), `${stale} is still there`)
      for (const ns of net.namespaces) assert.ok(after.includes(ns.name), `${ns.name} was removed`)
    } finally {
      if (listNamespaces().includes(stale)) execFileSync('ip', ['netns', 'del', stale])
    }
  })
})
