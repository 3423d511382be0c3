import assert from 'node:assert/strict'
import { TempDirs } from '../helpers/temp-dir.ts'
import { parley, startDaemonProcess } from '../helpers/cli.ts'
import type { DaemonProcess } from '../helpers/cli.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0']

/** Replies, reactions, edits, deletions, timers, reads and settings from the command line */
describe('conversations from the parley command', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const daemons: DaemonProcess[] = []
  let dirA: string
  let dirB: string
  let a: DaemonProcess
  let b: DaemonProcess

  /** Runs `parley --data DIR ARGS --json` and parses its output; a failure fails the test */
  const json = async (dir: string, args: string[]): Promise<any> => {
    const out = await parley(['--data', dir, ...args, '--json'])
    assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}${out.stdout}`)
    return JSON.parse(out.stdout)
  }
  const message = async (dir: string, id: string): Promise<any> => (await json(dir, ['messages'])).find((m: any) => m.id === id)

  before(async () => {
    const relay = await startDaemonProcess(await dirs.make(), [...LOOPBACK, '--relay', '--log-peers', '--lan'])
    daemons.push(relay)
    dirA = await dirs.make()
    dirB = await dirs.make()
    const bootstrap = ['--bootstrap', relay.ready.addresses[0]]
    a = await startDaemonProcess(dirA, [...LOOPBACK, ...bootstrap])
    b = await startDaemonProcess(dirB, [...LOOPBACK, ...bootstrap])
    daemons.push(a, b)
    await relay.identified(b.ready.peerId)
    await relay.identified(a.ready.peerId)
  })

  after(async () => {
    await Promise.all(daemons.map(async d => d.stop()))
    await dirs.cleanup()
  })

  it('quotes, reacts, edits and deletes, and the other side sees each', async () => {
    const first = await json(dirA, ['send', b.ready.peerId, 'first'])
    assert.equal(first.status, 'delivered')
    const reply = await json(dirB, ['send', a.ready.peerId, 'quoting', '--reply-to', first.id])
    assert.equal(reply.status, 'delivered')
    assert.deepEqual((await message(dirA, reply.id)).replyTo, { id: first.id, author: a.ready.peerId })

    const reacted = await json(dirB, ['react', a.ready.peerId, first.id, '👍'])
    assert.deepEqual(reacted.reactions, { [b.ready.peerId]: '👍' })
    await json(dirA, ['edit', b.ready.peerId, first.id, 'first, edited'])
    await json(dirA, ['delete', b.ready.peerId, first.id])
    // each change went out after the one before, in order: the last one arriving means all did
    const marker = await json(dirA, ['send', b.ready.peerId, 'marker'])
    assert.equal(marker.status, 'delivered')
    const atB = await message(dirB, first.id)
    assert.deepEqual([atB.deleted, atB.text], [true, ''])
    const atA = await message(dirA, first.id)
    assert.deepEqual([atA.deleted, atA.reactions], [true, undefined], 'a deletion erases the reactions too')

    const notYours = await parley(['--data', dirA, 'edit', b.ready.peerId, reply.id, 'mine now', '--json'])
    assert.equal(notYours.code, 2, notYours.stderr)
    assert.equal(JSON.parse(notYours.stdout || notYours.stderr).error.code, 'MESSAGE_NOT_EDITABLE')
  })

  it('lists conversations with unread counts, marks them read, and the sender sees read', async () => {
    await json(dirB, ['read', a.ready.peerId])
    const sent = await json(dirA, ['send', b.ready.peerId, 'unread'])
    const [conversation] = await json(dirB, ['conversations'])
    assert.deepEqual([conversation.peer, conversation.unread, conversation.timer, conversation.last.text], [a.ready.peerId, 1, 0, 'unread'])
    assert.deepEqual(await json(dirB, ['read', a.ready.peerId]), { read: 1 })
    assert.equal((await json(dirB, ['conversations']))[0].unread, 0)
    // the read receipt goes out before B's next message, which A acks
    await json(dirB, ['send', a.ready.peerId, 'after reading'])
    assert.equal((await message(dirA, sent.id)).status, 'read')
  })

  it('sets a disappearing timer for both, and settings', async () => {
    const set = await json(dirA, ['timer', b.ready.peerId, '1w'])
    assert.equal(set.timer, 604_800)
    const marker = await message(dirA, (await json(dirA, ['send', b.ready.peerId, 'under a timer'])).id)
    assert.equal(marker.expiresAt, marker.timestamp + 604_800_000)
    assert.equal((await json(dirB, ['conversations']))[0].timer, 604_800)
    assert.equal((await parley(['--data', dirA, 'timer', b.ready.peerId, '7s'])).code, 1, 'not an allowed timer')
    await json(dirA, ['timer', b.ready.peerId, 'off'])

    assert.deepEqual(await json(dirA, ['settings']), { readReceipts: true, typingIndicators: false })
    assert.deepEqual(await json(dirA, ['settings', '--read-receipts', 'off', '--typing', 'on']), { readReceipts: false, typingIndicators: true })
  })

  it('does the same from the interactive chat', async () => {
    const last = (await json(dirA, ['messages', '--peer', b.ready.peerId])).at(-1)
    const script = [
      `/add ${b.ready.peerId} bob`,
      '/open bob',
      '/reply ^1 quoting from the chat',
      '/react ^1 🎉',
      '/timer 1h',
      '/timer off',
      '/quit'
    ].join('\n') + '\n'
    const out = await parley(['--data', dirA, 'chat'], script)
    assert.equal(out.code, 0, out.stderr)
    assert.match(out.stdout, /disappearing messages: 1 hour/)
    const reply = (await json(dirB, ['messages'])).find((m: any) => m.text === 'quoting from the chat')
    assert.deepEqual(reply?.replyTo, { id: last.id, author: last.direction === 'out' ? a.ready.peerId : b.ready.peerId })
    const reacted = await message(dirA, reply.id)
    assert.deepEqual(reacted.reactions, { [a.ready.peerId]: '🎉' })
    // the two timer changes went out after the reaction: once the last is at B, so is the reaction
    const timers = (await json(dirB, ['messages'])).filter((m: any) => m.timer != null)
    assert.deepEqual(timers.slice(-2).map((m: any) => m.timer), [3_600, 0])
    assert.deepEqual((await message(dirB, reply.id)).reactions, { [a.ready.peerId]: '🎉' })
  })
})
