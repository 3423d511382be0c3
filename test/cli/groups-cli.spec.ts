import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TempDirs } from '../helpers/temp-dir.ts'
import { parley, startDaemonProcess } from '../helpers/cli.ts'
import type { DaemonProcess } from '../helpers/cli.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0']

/** Groups from the parley command, as scripts use them (issue 17's CLI contract) */
describe('groups from the parley command', function () {
  this.timeout(120_000)
  const dirs = new TempDirs()
  const daemons: DaemonProcess[] = []
  const dir: Record<string, string> = {}
  const id: Record<string, string> = {}

  const json = async (who: string, args: string[]): Promise<any> => {
    const out = await parley(['--data', dir[who], ...args, '--json'])
    assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}${out.stdout}`)
    return JSON.parse(out.stdout)
  }

  /** Asks `check` again (each time a CLI round trip) until it holds: state behind a CLI has no events to wait on */
  const until = async (check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    }
  }

  before(async () => {
    const relay = await startDaemonProcess(await dirs.make(), [...LOOPBACK, '--relay', '--log-peers', '--lan'])
    daemons.push(relay)
    for (const who of ['ann', 'ben', 'cat']) {
      dir[who] = await dirs.make()
      const d = await startDaemonProcess(dir[who], [...LOOPBACK, '--bootstrap', relay.ready.addresses[0]])
      daemons.push(d)
      id[who] = d.ready.peerId
      await relay.identified(d.ready.peerId)
    }
  })

  after(async () => {
    await Promise.all(daemons.map(async d => d.stop()))
    await dirs.cleanup()
  })

  it('creates a group, adds members, sends both ways, lists history with senders, removes a member', async () => {
    const created = await json('ann', ['group', 'create', 'Hikers'])
    assert.deepEqual(Object.keys(created).sort(), ['id', 'name'])
    assert.equal(created.name, 'Hikers')
    const added = await json('ann', ['group', 'add', 'Hikers', id.ben, id.cat])
    assert.deepEqual(added.members, [id.ann, id.ben, id.cat].sort())

    for (const who of ['ben', 'cat']) {
      await until(async () => (await json(who, ['groups'])).some((g: any) => g.id === created.id && g.members.length === 3), `${who} to get the group`)
    }
    assert.deepEqual(await json('ben', ['groups']), [{ id: created.id, name: 'Hikers', members: [id.ann, id.ben, id.cat].sort(), admins: [id.ann] }])

    // each member's safety-number state: Ann compares the number with Ben's and marks it
    const marked = await json('ann', ['verify', id.ben, '--mark'])
    assert.equal(marked.verified, true)
    assert.deepEqual(await json('ann', ['group', 'members', 'Hikers']), [id.ann, id.ben, id.cat].sort().map(peer => ({ peer, admin: peer === id.ann, verified: peer === id.ben })))
    assert.deepEqual((await json('cat', ['group', 'members', 'Hikers'])).map((m: any) => m.verified), [false, false, false], 'a mark is the user\'s own')

    const sent = await json('ben', ['group', 'send', 'Hikers', 'summit at noon'])
    assert.deepEqual(Object.keys(sent).sort(), ['delivered', 'id', 'members', 'status'])
    assert.equal(sent.members, 2)
    await until(async () => (await json('cat', ['messages', '--group', created.id])).some((m: any) => m.id === sent.id), 'Cat to get Ben\'s message')
    await json('cat', ['group', 'send', created.id, 'bringing snacks'])
    await until(async () => (await json('ann', ['messages', '--group', 'Hikers'])).length === 2, 'Ann to get both')
    const history = await json('ann', ['messages', '--group', 'Hikers'])
    assert.deepEqual(history.map((m: any) => [m.sender, m.text]), [[id.ben, 'summit at noon'], [id.cat, 'bringing snacks']])

    // a reply, a reaction, an edit and a deletion, from the command line
    const reply = await json('ann', ['group', 'send', 'Hikers', 'I will bring water', '--reply-to', history[1].id])
    await json('ann', ['group', 'react', 'Hikers', sent.id, '⛰️'])
    await json('ben', ['group', 'edit', 'Hikers', sent.id, 'summit at one'])
    await json('cat', ['group', 'delete', 'Hikers', history[1].id])
    await until(async () => {
      const atBen = await json('ben', ['messages', '--group', 'Hikers'])
      const byId = new Map(atBen.map((m: any) => [m.id, m]))
      return (byId.get(reply.id) as any)?.replyTo?.id === history[1].id && (byId.get(history[1].id) as any)?.deleted === true && (byId.get(sent.id) as any)?.reactions?.[id.ann] === '⛰️'
    }, 'Ben to see the reply, the reaction and the deletion')
    await until(async () => (await json('ann', ['messages', '--group', 'Hikers'])).some((m: any) => m.id === sent.id && m.text === 'summit at one'), 'Ann to see Ben\'s edit')

    // delivered and read counts: Ben reads the group; Ann's reply reached both, and Ben read it
    assert.ok((await json('ben', ['group', 'read', 'Hikers'])).read >= 1)
    await until(async () => {
      const mine = (await json('ann', ['group', 'messages', 'Hikers'])).find((m: any) => m.id === reply.id)
      return mine?.deliveredTo?.length === 2 && mine?.readBy?.includes(id.ben) === true
    }, 'Ann to count her reply delivered to both and read by Ben')

    // a file offered to the group: each member fetches it from Ben
    const photo = join(await dirs.make(), 'ridge.png')
    await writeFile(photo, 'a picture of the ridge')
    const offered = await json('ben', ['group', 'send-file', 'Hikers', photo])
    assert.equal(offered.transfer.name, 'ridge.png')
    assert.equal(offered.transfer.group, created.id)
    for (const who of ['ann', 'cat']) {
      await until(async () => (await json(who, ['files'])).some((t: any) => t.id === offered.transfer.id && t.state === 'done'), `${who} to receive the file`)
      const received = (await json(who, ['files'])).find((t: any) => t.id === offered.transfer.id)
      assert.equal(await readFile(received.path, 'utf8'), 'a picture of the ridge')
    }
    assert.ok((await json('cat', ['messages', '--group', 'Hikers'])).some((m: any) => m.file?.id === offered.transfer.id && m.sender === id.ben))

    // not an admin: refused, with its error code
    const refused = await parley(['--data', dir.ben, 'group', 'remove', 'Hikers', id.cat, '--json'])
    assert.notEqual(refused.code, 0)
    assert.equal(JSON.parse(refused.stdout || refused.stderr).error.code, 'GROUP_CHANGE_REFUSED')

    const removed = await json('ann', ['group', 'remove', 'Hikers', id.cat])
    assert.deepEqual(removed.members, [id.ann, id.ben].sort())
    await until(async () => !(await json('cat', ['groups']))[0].members.includes(id.cat), 'Cat to learn she was removed')
    const unknown = await parley(['--data', dir.ann, 'group', 'send', 'Nobody', 'hello?', '--json'])
    assert.equal(JSON.parse(unknown.stdout || unknown.stderr).error.code, 'UNKNOWN_GROUP')
    const noGroup = await parley(['--data', dir.ann, 'group', 'send-file', 'Nobody', photo, '--json'])
    assert.equal(JSON.parse(noGroup.stdout || noGroup.stderr).error.code, 'UNKNOWN_GROUP')
    const noFile = await parley(['--data', dir.ann, 'group', 'send-file', 'Hikers', join(photo, 'missing'), '--json'])
    assert.equal(noFile.code, 2, 'bad input')
    assert.equal(JSON.parse(noFile.stdout || noFile.stderr).error.kind, 'bad-input')
  })

  it('the chat lists groups, opens one, and sends a text and a file to it', async () => {
    const map = join(await dirs.make(), 'map.txt')
    await writeFile(map, 'the trail map')
    const script = ['/groups', '/group Hikers', '/members', `/verify ${id.ann} mark`, '/members', 'hello from the chat', `/send-file ${map}`, '/quit'].join('\n') + '\n'
    const out = await parley(['--data', dir.ben, 'chat'], script)
    assert.equal(out.code, 0, out.stderr)
    assert.match(out.stdout, /Hikers/)
    assert.match(out.stdout, /summit at one/, 'the group\'s history shows when it opens (with Ben\'s edit)')
    const [before, after] = out.stdout.split('Verified: you marked it as compared')
    assert.match(before, new RegExp(`${id.ann} \\(admin\\)  not verified: /verify ${id.ann}`), 'the member list before the mark')
    assert.match(after, new RegExp(`${id.ann} \\(admin\\)  verified`), 'and after')
    assert.match(out.stdout, / {2}you\n/, 'Ben himself')
    await until(async () => (await json('ann', ['messages', '--group', 'Hikers'])).some((m: any) => m.text === 'hello from the chat' && m.sender === id.ben), 'Ann to get the chat\'s message')
    assert.match(out.stdout, /Offered map\.txt/)
    await until(async () => (await json('ann', ['files'])).some((t: any) => t.name === 'map.txt' && t.group != null && t.state === 'done'), 'Ann to receive the chat\'s file')
  })
})
