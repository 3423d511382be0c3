import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadBootstrapList, parseBootstrapList } from '../../src/node/bootstrap-list.ts'

const A = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const B = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'

function assertListError (fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (err: Error) => {
    assert.equal(err.name, 'BootstrapListError')
    for (const p of patterns) assert.match(err.message, p)
    return true
  })
}

describe('bootstrap list', () => {
  let dir: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-'))
  })

  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  describe('parseBootstrapList', () => {
    it('returns the addresses of a valid list in order', () => {
      const list = parseBootstrapList({
        version: 1,
        nodes: [
          { multiaddr: `/dns4/relay.example.org/tcp/4001/p2p/${A}`, operator: 'Alice', note: 'EU' },
          { multiaddr: `/ip4/203.0.113.7/tcp/4002/ws/p2p/${B}`, extra: 'ignored' }
        ]
      }, 'list.json')
      assert.deepEqual(list.map(ma => ma.toString()), [
        `/dns4/relay.example.org/tcp/4001/p2p/${A}`,
        `/ip4/203.0.113.7/tcp/4002/ws/p2p/${B}`
      ])
    })

    it('accepts an empty list', () => {
      assert.deepEqual(parseBootstrapList({ version: 1, nodes: [] }, 'list.json'), [])
    })

    it('rejects a missing or unsupported version, naming the supported one', () => {
      assertListError(() => parseBootstrapList({ version: 2, nodes: [] }, 'list.json'), /^list\.json: /, /version 2/, /version 1/)
      assertListError(() => parseBootstrapList({ nodes: [] }, 'list.json'), /unsupported version/)
      assertListError(() => parseBootstrapList({ version: '1', nodes: [] }, 'list.json'), /version "1"/)
    })

    it('rejects a document that is not a list object', () => {
      assertListError(() => parseBootstrapList([], 'list.json'), /list\.json/, /expected an object/)
      assertListError(() => parseBootstrapList(null, 'list.json'), /expected an object/)
      assertListError(() => parseBootstrapList({ version: 1 }, 'list.json'), /"nodes" must be an array/)
      assertListError(() => parseBootstrapList({ version: 1, nodes: {} }, 'list.json'), /"nodes" must be an array/)
    })

    const good = { multiaddr: `/ip4/203.0.113.7/tcp/4001/p2p/${A}` }
    const badEntries: Array<[string, unknown, RegExp]> = [
      ['a string instead of an object', `/ip4/1.2.3.4/tcp/1/p2p/${B}`, /nodes\[1\] must be an object.*got "\/ip4/],
      ['null', null, /nodes\[1\] must be an object.*got null/],
      ['a missing multiaddr', { operator: 'x' }, /nodes\[1\]\.multiaddr must be a string, got undefined/],
      ['a non-string multiaddr', { multiaddr: 42 }, /nodes\[1\]\.multiaddr must be a string, got 42/],
      ['an unparseable multiaddr', { multiaddr: '/ip4/1.2.3.4/tcp/x' }, /nodes\[1\]\.multiaddr "\/ip4\/1\.2\.3\.4\/tcp\/x" is not a valid multiaddr: /],
      ['a multiaddr without /p2p/', { multiaddr: '/ip4/1.2.3.4/tcp/4001' }, /nodes\[1\]\.multiaddr "\/ip4\/1\.2\.3\.4\/tcp\/4001" does not end with \/p2p\/<peer id>/],
      ['a non-string operator', { multiaddr: `/ip4/1.2.3.4/tcp/1/p2p/${B}`, operator: 7 }, /nodes\[1\]\.operator must be a string/],
      ['a non-string note', { multiaddr: `/ip4/1.2.3.4/tcp/1/p2p/${B}`, note: ['x'] }, /nodes\[1\]\.note must be a string/]
    ]
    for (const [label, entry, pattern] of badEntries) {
      it(`rejects ${label}, naming the file and index`, () => {
        assertListError(() => parseBootstrapList({ version: 1, nodes: [good, entry] }, 'bootstrap-nodes.json'), /^bootstrap-nodes\.json: /, pattern)
      })
    }

    it('rejects duplicates, also when written differently', () => {
      const ma = `/ip4/203.0.113.7/tcp/4001/p2p/${A}`
      assertListError(() => parseBootstrapList({ version: 1, nodes: [{ multiaddr: ma }, { multiaddr: `/ip4/1.1.1.1/tcp/1/p2p/${B}` }, { multiaddr: ma }] }, 'l.json'),
        /nodes\[2\]\.multiaddr .* duplicates nodes\[0\]/)
      assertListError(() => parseBootstrapList({ version: 1, nodes: [{ multiaddr: `/ip6/::1/tcp/1/p2p/${A}` }, { multiaddr: `/ip6/0:0:0:0:0:0:0:1/tcp/1/p2p/${A}` }] }, 'l.json'),
        /nodes\[1\]\.multiaddr .* duplicates nodes\[0\]/)
    })

    it('cuts long values short in messages', () => {
      const long = '/ip4/1.2.3.4/tcp/' + '9'.repeat(500)
      assert.throws(() => parseBootstrapList({ version: 1, nodes: [{ multiaddr: long }] }, 'l.json'), (err: Error) => {
        assert.equal(err.name, 'BootstrapListError')
        assert.ok(err.message.length < 400, err.message)
        return true
      })
    })
  })

  describe('loadBootstrapList', () => {
    it('loads a valid file', async () => {
      const file = join(dir, 'good.json')
      await writeFile(file, JSON.stringify({ version: 1, nodes: [{ multiaddr: `/dns4/relay.example.org/tcp/4001/p2p/${A}` }] }))
      const list = await loadBootstrapList(file)
      assert.deepEqual(list.map(ma => ma.toString()), [`/dns4/relay.example.org/tcp/4001/p2p/${A}`])
    })

    it('loads the bootstrap-nodes.json shipped in the repository', async () => {
      const file = new URL('../../bootstrap-nodes.json', import.meta.url).pathname
      const json = JSON.parse(await readFile(file, 'utf8'))
      assert.equal(json.version, 1)
      assert.deepEqual((await loadBootstrapList(file)).length, json.nodes.length)
    })

    it('names the file when it is missing', async () => {
      const file = join(dir, 'nope.json')
      await assert.rejects(loadBootstrapList(file), (err: Error) => {
        assert.equal(err.name, 'BootstrapListError')
        assert.ok(err.message.startsWith(`${file}: file not found`), err.message)
        return true
      })
    })

    it('names the file when it is not JSON', async () => {
      const file = join(dir, 'bad.json')
      await writeFile(file, '{ "version": 1, nodes: [ }')
      await assert.rejects(loadBootstrapList(file), (err: Error) => {
        assert.equal(err.name, 'BootstrapListError')
        assert.ok(err.message.startsWith(`${file}: not valid JSON`), err.message)
        return true
      })
    })

    it('names the file and index for a bad entry', async () => {
      const file = join(dir, 'bad-entry.json')
      await writeFile(file, JSON.stringify({ version: 1, nodes: [{ multiaddr: `/ip4/1.2.3.4/tcp/1/p2p/${A}` }, { multiaddr: 'nonsense' }] }))
      await assert.rejects(loadBootstrapList(file), (err: Error) => {
        assert.equal(err.name, 'BootstrapListError')
        assert.ok(err.message.startsWith(`${file}: nodes[1].multiaddr "nonsense" is not a valid multiaddr`), err.message)
        return true
      })
    })
  })
})
