import assert from 'node:assert/strict'
import { cp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { incoming, launchProfile, send } from '../browser/helpers/browser.ts'
import { printPageLogsOnFailure, WebNetwork } from '../browser/helpers/web-network.ts'

/** What earlier releases' web apps left in a browser (scripts/fixtures/write-browser-profile.ts says how) */
const FIXTURES = join(import.meta.dirname, '../fixtures/browser-profiles')

interface Manifest {
  peers: { page: string, bob: string }
  history: Array<{ direction: string, text: string, status: string }>
}

/** A database as the fixture keeps it: binary keys and values as base64 */
interface DumpedDatabase {
  name: string
  version: number
  stores: Array<{ name: string, keyPath: string | string[] | null, autoIncrement: boolean, entries: Array<[unknown, unknown]> }>
}

/**
 * Users have data in browsers too: the IndexedDB an earlier release's web app wrote (identity,
 * history, contacts, sessions) must open with today's app, upgraded in place, with everything
 * kept and the sessions going on.
 */
describe('browser profiles written by earlier releases (headless Chromium)', function () {
  this.timeout(180_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  for (const release of ['8d057a1']) {
    it(`opens ${release}'s IndexedDB and keeps identity, contacts, history and sessions`, async () => {
      const manifest: Manifest = JSON.parse(await readFile(join(FIXTURES, release, 'manifest.json'), 'utf8'))
      const databases: DumpedDatabase[] = JSON.parse(await readFile(join(FIXTURES, release, 'indexeddb.json'), 'utf8'))

      // the release's IndexedDB, put back as it was into a new profile on the app's origin
      // (a page of that origin that does not start the app: its config.json)
      const profile = await net.profile()
      const seeding = await launchProfile(profile)
      try {
        const page = seeding.pages()[0] ?? await seeding.newPage()
        await page.goto(new URL('config.json', net.server.url).toString())
        await page.evaluate(restoreDatabases, databases)
      } finally {
        await seeding.close()
      }

      const bobDir = await net.dirs.make()
      await cp(join(FIXTURES, release, 'bob'), bobDir, { recursive: true })
      const bob = await net.node({ dataDir: bobDir })
      assert.equal(bob.peerId.toString(), manifest.peers.bob)

      const { page, peerId } = await net.open(profile)
      assert.equal(peerId, manifest.peers.page, 'the same identity')
      const history = await page.evaluate(async () => (await window.parley!.messenger.history()).map(m => `${m.direction} ${m.status} ${m.text}`))
      assert.deepEqual(history, manifest.history.map(m => `${m.direction} ${m.status} ${m.text}`), 'the history as it was left')
      assert.deepEqual(await page.evaluate(async () => (await window.parley!.messenger.contacts()).map(c => [c.peerId, c.name])), [[manifest.peers.bob, 'Bob']])
      assert.deepEqual(await page.evaluate(async () => (await window.parley!.messenger.conversations()).map(c => [c.id, c.unread])), [[manifest.peers.bob, 0]], 'upgraded: one conversation, read')

      // the sessions go on, both ways
      await net.relayKnows(peerId)
      assert.equal((await send(page, bob.peerId.toString(), 'after the upgrade')).status, 'delivered')
      assert.ok((await bob.messenger.history({ peer: peerId })).some(m => m.direction === 'in' && m.text === 'after the upgrade'))
      assert.equal((await bob.messenger.send(peerId, 'still here')).status, 'delivered')
      await incoming(page, bob.peerId.toString(), 'still here')
    })
  }
})

/** Runs in the page: writes the dumped databases into this origin's IndexedDB */
async function restoreDatabases (databases: DumpedDatabase[]): Promise<void> {
  const bytes = (base64: string): Uint8Array => Uint8Array.from(atob(base64), c => c.charCodeAt(0))
  const decode = (value: any): any => {
    if (value == null || typeof value !== 'object') return value
    if (typeof value.$bytes === 'string') return bytes(value.$bytes)
    if (typeof value.$buffer === 'string') return bytes(value.$buffer).buffer
    if (Array.isArray(value)) return value.map(decode)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]))
  }
  for (const dumped of databases) {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(dumped.name, dumped.version)
      request.onupgradeneeded = () => {
        for (const store of dumped.stores) request.result.createObjectStore(store.name, { keyPath: store.keyPath, autoIncrement: store.autoIncrement })
      }
      request.onsuccess = () => { resolve(request.result) }
      request.onerror = () => { reject(request.error) }
    })
    for (const store of dumped.stores) {
      const tx = db.transaction(store.name, 'readwrite')
      const objects = tx.objectStore(store.name)
      for (const [key, value] of store.entries) {
        if (store.keyPath == null) objects.put(decode(value), decode(key))
        else objects.put(decode(value))
      }
      await new Promise<void>((resolve, reject) => { tx.oncomplete = () => { resolve() }; tx.onerror = () => { reject(tx.error) } })
    }
    db.close()
  }
}
