import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fromString } from 'uint8arrays/from-string'
import { waitForEvent } from '../helpers/events.ts'
import { ChunkSet } from '../../src/files/chunk-set.ts'
import { CHUNK_BYTES, CHECKPOINT_CHUNKS } from '../../src/files/constants.ts'
import { chunkCount } from '../../src/files/tree.ts'
import { reservation } from './helpers/browser.ts'
import { gateSender, nodeTransferState, opfsNames, pageTransferState, savedLinkSha256 } from './helpers/files.ts'
import { openChat, startChat } from './helpers/ui.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { TransferRecord } from '../../src/storage/types.ts'

const MiB = 1_048_576
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

describe('file sharing in the browser (headless Chromium)', function () {
  this.timeout(120_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  it('a page sends a picked file to a Node node: it arrives byte-identical and the page shows it done', async () => {
    const page = await net.open(await net.profile())
    const node = await net.node()
    const nodeId = node.peerId.toString()
    // the Node user knows the page, so its files download without asking
    await node.messenger.addContact(page.peerId, 'web')
    await startChat(page.page, nodeId, 'Nadia')

    const content = randomBytes(3 * MiB + 12_345)
    const arrived = waitForEvent<TransferRecord>(node.files!, 'transfer', t => t.direction === 'in' && t.state === 'done', 60_000)
    await page.page.setInputFiles('.composer input[type=file]', { name: 'report.pdf', mimeType: 'application/pdf', buffer: content })
    const done = await arrived
    assert.equal(done.name, 'report.pdf')
    assert.equal(done.type, 'application/pdf')
    assert.equal(done.size, content.byteLength)
    assert.equal(sha256(await readFile(done.path)), sha256(content), 'byte-identical at the Node node')

    // the page hears the Node node's "received" and ends the transfer, deleting its copy
    const card = `.file[data-transfer="${done.id}"]`
    await page.page.waitForSelector(`${card}[data-state="done"][data-direction="out"]`, { timeout: 30_000 })
    assert.match((await page.page.textContent(card))!, /report\.pdf.*3\.0 MiB.*received by the peer/s)
    assert.deepEqual(await opfsNames(page.page, 'parley/downloads/.partial'), [], 'the copy of the offered file is gone')
    await net.close(page)
  })

  it('an offered file survives a reload: once the Node user accepts the page, it is served from the page\'s copy', async () => {
    const node = await net.node()
    const nodeId = node.peerId.toString()
    const page = await net.open(await net.profile())
    const { page: p } = page
    await startChat(p, nodeId, 'Nadia')

    // the Node user has not accepted the page: the offer waits for them
    const offered = waitForEvent<TransferRecord>(node.files!, 'transfer', t => t.direction === 'in' && t.state === 'offered', 30_000)
    const content = randomBytes(2 * MiB + 5)
    await p.setInputFiles('.composer input[type=file]', { name: 'later.zip', mimeType: 'application/zip', buffer: content })
    const { id } = await offered
    await p.waitForSelector(`.file[data-transfer="${id}"][data-state="offered"]`)
    // the file waits in the page's own storage, and the page goes away and comes back
    assert.deepEqual(await opfsNames(p, 'parley/downloads/.partial'), [`${id}.out`])
    await p.reload()
    await p.waitForSelector('body[data-state="ready"]')
    await reservation(p)
    await net.relayKnows(page.peerId)

    await node.messenger.accept(page.peerId)
    const done = await nodeTransferState(node, id, 'done', 60_000)
    assert.equal(done.name, 'later.zip')
    assert.equal(sha256(await readFile(done.path)), sha256(content), 'served after the reload, from the copy')
    await openChat(p, nodeId)
    await p.waitForSelector(`.file[data-transfer="${id}"][data-state="done"]`, { timeout: 30_000 })
    assert.deepEqual(await opfsNames(p, 'parley/downloads/.partial'), [], 'the copy is deleted once the node has the file')
    await net.close(page)
  })

  it('a Node node sends a file to a page: live progress, done, and the save link holds the same bytes', async () => {
    const page = await net.open(await net.profile())
    const { page: p } = page
    const node = await net.node()
    await startChat(p, node.peerId.toString(), 'Nadia')
    const source = join(await net.dirs.make(), 'holiday.mp4')
    const content = randomBytes(5 * MiB + 777) // 21 chunks
    await writeFile(source, content)

    // what the card shows as it changes: its state, the bytes, whether the progress bar shows
    await p.evaluate(() => {
      const seen: Array<{ state: string, bytes: number, bar: boolean }> = []
      ;(window as any).cardChanges = seen
      new MutationObserver(records => {
        for (const r of records) {
          const el = r.target as HTMLElement
          if (!el.matches('.file')) continue
          seen.push({ state: el.dataset.state ?? '', bytes: Number(el.dataset.bytes), bar: !el.querySelector('progress')!.hidden })
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-bytes', 'data-state'] })
    })
    const { transfer } = await node.files!.send(page.peerId, source)
    const card = `.file[data-transfer="${transfer.id}"]`
    await p.waitForSelector(`${card}[data-state="done"] a.save[href^="blob:"]`, { timeout: 60_000 })

    const changes: Array<{ state: string, bytes: number, bar: boolean }> = await p.evaluate(() => (window as any).cardChanges)
    assert.ok(changes.some(c => c.state === 'downloading' && c.bytes > 0 && c.bytes < content.byteLength && c.bar),
      `the card showed progress under way: ${JSON.stringify(changes)}`)
    assert.equal(await p.getAttribute(`${card} a.save`, 'download'), 'holiday.mp4')
    assert.equal(await savedLinkSha256(p, transfer.id), sha256(content), 'the save link\'s bytes, hashed in the page')
    // and the link hands the file to the browser's own downloads
    const [saved] = await Promise.all([p.waitForEvent('download'), p.click(`${card} a.save`)])
    assert.equal(saved.suggestedFilename(), 'holiday.mp4')
    assert.equal(sha256(await readFile((await saved.path())!)), sha256(content))
    assert.deepEqual((await opfsNames(p, 'parley/downloads')).sort(), ['.partial', 'holiday.mp4'])
    assert.deepEqual(await opfsNames(p, 'parley/downloads/.partial'), [])
    await nodeTransferState(node, transfer.id, 'done')

    const shots = join(import.meta.dirname, '../../dist/screenshots')
    await mkdir(shots, { recursive: true })
    await p.screenshot({ path: join(shots, 'file-received.png') })

    // removing it deletes the file from the browser's storage; the card says so
    await p.click(`${card} button.remove`)
    await p.waitForSelector(`${card}[data-state="done"] >> text=removed from this browser`)
    assert.deepEqual(await opfsNames(p, 'parley/downloads'), ['.partial'])
    await net.close(page)
  })

  it('a page reloaded mid-download resumes from the chunks it verified, without fetching them again', async () => {
    const page = await net.open(await net.profile())
    const { page: p } = page
    const node = await net.node()
    await startChat(p, node.peerId.toString(), 'Nadia')
    const total = CHECKPOINT_CHUNKS + 16
    const content = randomBytes(total * CHUNK_BYTES - 1_000)
    const source = join(await net.dirs.make(), 'big.bin')
    await writeFile(source, content)
    assert.equal(chunkCount(content.byteLength), total)

    // the sender holds back every chunk past the first CHECKPOINT_CHUNKS, so the page is caught
    // mid-way: a download records what it verified every second or every CHECKPOINT_CHUNKS chunks,
    // so by then it has recorded some, whatever the speed
    const gateAt = CHECKPOINT_CHUNKS
    const sender = gateSender(node, gateAt)
    // what the page records as verified: every transfer record it stores with a bitfield
    await p.evaluate(() => {
      const store = (window.parley!.files as any).files
      const put = store.put.bind(store)
      const w = window as any
      w.checkpoint = Promise.withResolvers<void>()
      store.put = async (record: TransferRecord, options: unknown) => {
        await put(record, options)
        if (record.direction === 'in' && record.have != null) {
          w.have = record.have
          if (record.bytes > 0) w.checkpoint.resolve()
        }
      }
    })
    const { transfer } = await node.files!.send(page.peerId, source)
    await sender.blocked
    await p.evaluate(async () => { await (window as any).checkpoint.promise })
    const held = new ChunkSet(total, fromString(await p.evaluate(() => (window as any).have as string), 'base64'))
    assert.ok(held.count > 0 && held.count <= gateAt, `verified before the reload: ${held.count} of ${total}`)

    sender.nextPhase()
    await p.reload()
    await p.waitForSelector('body[data-state="ready"]')
    sender.open()
    const done = await pageTransferState(p, transfer.id, 'done', 60_000)
    assert.equal(done.path, 'parley/downloads/big.bin')

    const again = sender.served[1]
    const refetched = [...again.keys()].filter(i => held.has(i))
    assert.deepEqual(refetched, [], 'no chunk verified before the reload was served again')
    assert.ok(again.size > 0 && again.size <= total - held.count, `served after the reload: ${again.size}, held ${held.count} of ${total}`)
    assert.ok([...again.values()].every(n => n === 1), `each once: ${JSON.stringify([...again].filter(([, n]) => n > 1))}`)
    const digest = await p.evaluate(async (id) => {
      const blob = await window.parley!.files!.blob(id)
      return [...new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))].map(b => b.toString(16).padStart(2, '0')).join('')
    }, transfer.id)
    assert.equal(digest, sha256(content))
    await nodeTransferState(node, transfer.id, 'done')
    await net.close(page)
  })
})
