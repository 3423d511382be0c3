import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { nodeTransferState } from './helpers/files.ts'
import { png, wav } from './helpers/media.ts'
import { startChat } from './helpers/ui.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { Locator, Page } from 'playwright-core'

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** What the page's media element shows: its object URL's bytes and type, and the decoded size */
async function shown (media: Locator): Promise<{ src: string, sha256: string, type: string }> {
  return media.evaluate(async (el) => {
    const { src } = el as HTMLImageElement | HTMLMediaElement
    const blob = await (await fetch(src)).blob()
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
    return { src, sha256: [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join(''), type: blob.type }
  })
}

/** Resolves once the image has decoded, with its size in pixels */
async function decoded (page: Page, image: Locator): Promise<{ width: number, height: number }> {
  const handle = await image.elementHandle()
  await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, handle)
  return image.evaluate((el) => ({ width: (el as HTMLImageElement).naturalWidth, height: (el as HTMLImageElement).naturalHeight }))
}

describe('web app: pictures, video and sound inline (headless Chromium)', function () {
  this.timeout(120_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  it('shows a received picture and sound from their verified bytes, and never an SVG', async () => {
    const page = await net.open(await net.profile())
    const { page: p } = page
    const node = await net.node()
    await node.messenger.addContact(page.peerId, 'Webb')
    // the page knows Nadia: her files download by themselves
    await startChat(p, node.peerId.toString(), 'Nadia')

    const picture = png(24, 16, (x, y) => [x * 10, y * 15, 200])
    const { transfer } = await node.files!.sendBlob(page.peerId, new Blob([picture], { type: 'image/png' }), { name: 'sunset.png' })
    const message = p.locator('.message.in', { has: p.locator(`.file[data-transfer="${transfer.id}"]`) })
    const image = message.locator('.media img')
    await image.waitFor({ timeout: 60_000 })
    await message.locator('.file[data-state="done"]').waitFor()
    assert.deepEqual(await decoded(p, image), { width: 24, height: 16 })
    const bytes = await shown(image)
    assert.match(bytes.src, /^blob:http:\/\/127\.0\.0\.1:\d+\//, 'an object URL of the page itself')
    assert.equal(bytes.sha256, sha256(picture), 'the verified bytes')
    assert.equal(bytes.type, 'image/png', 'relabelled with the allowed type (files.blob gives octet-stream)')
    assert.equal(await image.getAttribute('alt'), 'sunset.png')
    await nodeTransferState(node, transfer.id, 'done')

    // sound plays inline too: the browser reads its length from the bytes
    const tone = wav(0.5)
    const sound = await node.files!.sendBlob(page.peerId, new Blob([tone], { type: 'audio/wav' }), { name: 'note.wav' })
    const audio = p.locator('.message.in', { has: p.locator(`.file[data-transfer="${sound.transfer.id}"]`) }).locator('.media audio[controls]')
    await audio.waitFor({ timeout: 60_000 })
    await p.waitForFunction((el) => (el as HTMLAudioElement).readyState >= 1, await audio.elementHandle())
    assert.ok(Math.abs(await audio.evaluate((el) => (el as HTMLAudioElement).duration) - 0.5) < 0.05)
    assert.equal((await shown(audio)).sha256, sha256(tone))

    // an SVG (which could carry script) stays a card with a save link, however it is labelled
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="5"/></svg>')
    const drawing = await node.files!.sendBlob(page.peerId, new Blob([svg], { type: 'image/svg+xml' }), { name: 'drawing.svg' })
    const card = p.locator(`.file[data-transfer="${drawing.transfer.id}"][data-state="done"]`)
    await card.locator('a.save[href^="blob:"]').waitFor({ timeout: 60_000 })
    const drawingMessage = p.locator('.message.in', { has: card })
    assert.equal(await drawingMessage.locator('.media').count(), 0, 'no media element at all')
    assert.equal(await p.locator('.messages img, .messages video, .messages audio').count(), 2, 'the picture and the sound only')

    // removing the picture from the browser takes it off the page, and its object URL with it
    await message.locator('button.remove').click()
    await image.waitFor({ state: 'detached' })
    const revoked = await p.evaluate(async (src) => fetch(src).then(() => false, () => true), bytes.src)
    assert.ok(revoked, 'the object URL was revoked')
    await net.close(page)
  })

  it('shows a picture the user sends from the file they picked', async () => {
    const page = await net.open(await net.profile())
    const { page: p } = page
    const node = await net.node()
    await startChat(p, node.peerId.toString(), 'Nadia')
    const picture = png(32, 20, (x) => [255, x * 8, 0])
    await p.setInputFiles('.composer input[type=file]', { name: 'mine.png', mimeType: 'image/png', buffer: Buffer.from(picture) })
    const image = p.locator('.message.out .media img')
    await image.waitFor({ timeout: 30_000 })
    assert.deepEqual(await decoded(p, image), { width: 32, height: 20 })
    assert.equal((await shown(image)).sha256, sha256(picture))
    await net.close(page)
  })
})
