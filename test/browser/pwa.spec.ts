import assert from 'node:assert/strict'
import { cp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { SHELL_FILES } from '../../scripts/web/build.ts'
import { reservation } from './helpers/browser.ts'
import { printPageLogsOnFailure, WebNetwork } from './helpers/web-network.ts'
import type { Page } from 'playwright-core'

/** The service worker's caches, and the paths the one in use holds */
async function keptFiles (page: Page): Promise<{ caches: string[], paths: string[] }> {
  return page.evaluate(async () => {
    const names = await caches.keys()
    const requests = names.length === 1 ? await (await caches.open(names[0])).keys() : []
    return { caches: names, paths: requests.map(r => new URL(r.url).pathname).sort() }
  })
}

async function controlled (page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller != null, undefined, { timeout: 30_000 })
}

describe('web app: installable, and opens offline (headless Chromium)', function () {
  this.timeout(120_000)
  const net = new WebNetwork()

  before(async () => { await net.start() })
  after(async () => { await net.stop() })
  printPageLogsOnFailure(net)

  it('has a manifest with icons, and its service worker opens the app without the server, which then connects', async () => {
    // a server of its own, to take away
    const server = await net.serve('/ws/')
    const page = await net.open(await net.profile(), server)
    const { page: p } = page

    const href = await p.getAttribute('link[rel=manifest]', 'href')
    const res = await fetch(new URL(href!, server.url))
    assert.equal(res.headers.get('content-type'), 'application/manifest+json')
    const manifest = await res.json()
    assert.equal(manifest.name, 'Parley')
    assert.equal(manifest.short_name, 'Parley')
    assert.equal(manifest.display, 'standalone')
    assert.equal(new URL(manifest.start_url, server.url).toString(), server.url)
    for (const size of [192, 512]) {
      const icon = manifest.icons.find((i: { sizes: string }) => i.sizes === `${size}x${size}`)
      assert.equal(icon?.type, 'image/png')
      // the icon decodes to its declared size
      const decoded = await p.evaluate(async (src) => {
        const img = new Image()
        img.src = src
        await img.decode()
        return [img.naturalWidth, img.naturalHeight]
      }, icon.src)
      assert.deepEqual(decoded, [size, size])
    }

    // the worker takes over the first page at once and keeps the app's files and config.json
    await controlled(p)
    const kept = await keptFiles(p)
    assert.equal(kept.caches.length, 1)
    assert.match(kept.caches[0], /^parley-shell-[0-9a-f]{16}$/)
    assert.deepEqual(kept.paths, [...SHELL_FILES, 'config.json'].map(f => `/${f}`).sort())

    // the server goes away: the page still opens, the same user, and reaches its relay
    await server.close()
    await assert.rejects(fetch(server.url), 'the server is gone')
    await p.reload()
    await p.waitForSelector('body[data-state="ready"]', { timeout: 30_000 })
    assert.equal(await p.evaluate(() => window.parley!.peerId.toString()), page.peerId)
    for (const selector of ['.topbar .open-invite', '.topbar .open-connection', '.new-chat', '.chats']) {
      assert.ok(await p.locator(selector).isVisible(), `${selector} shows`)
    }
    await reservation(p)
    await p.waitForSelector('.status-dot[data-state="reachable"]')
    await net.close(page)
  })

  it('a new build is offered as an update; taking it replaces the kept files', async () => {
    const first = await net.serve('/ws/')
    const page = await net.open(await net.profile(), first)
    const { page: p } = page
    await controlled(p)
    const [before] = (await keptFiles(p)).caches
    const version = before.slice('parley-shell-'.length)

    // the next build, on the same origin: its worker names another version
    const next = join(await net.dirs.make('parley-web-next-'), 'web')
    await cp(net.appDir, next, { recursive: true })
    const worker = await readFile(join(next, 'sw.js'), 'utf8')
    assert.ok(worker.includes(version))
    await writeFile(join(next, 'sw.js'), worker.replaceAll(version, '0123456789abcdef'))
    await first.close()
    await net.serve('/ws/', { root: next, port: Number(new URL(first.url).port) })

    // found on the next check (as on any navigation); the page keeps running until the user says
    await p.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())!.update() })
    const update = p.locator('.topbar .update-ready')
    await update.waitFor({ timeout: 30_000 })
    assert.deepEqual((await keptFiles(p)).caches.length, 2, 'both kept until it takes over')
    await Promise.all([p.waitForEvent('load', { timeout: 30_000 }), update.click()])
    await p.waitForSelector('body[data-state="ready"]', { timeout: 30_000 })
    assert.deepEqual(await keptFiles(p).then(k => k.caches), ['parley-shell-0123456789abcdef'], 'the old files are gone')
    assert.ok(await update.isHidden())
    await net.close(page)
  })
})
