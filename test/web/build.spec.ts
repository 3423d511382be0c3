import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32, inflateSync } from 'node:zlib'
import { buildWeb, CORE_BUDGET_BYTES, ICON_SIZES, SHELL_FILES, versionOf } from '../../scripts/web/build.ts'
import { encodePng } from '../../scripts/web/png.ts'
import { startStaticServer } from '../../scripts/web/static-server.ts'
import { OPFS_WORKER_SCRIPT } from '../../src/files/constants.ts'
import { TempDirs } from '../helpers/temp-dir.ts'

describe('web build (esbuild)', function () {
  this.timeout(60_000)
  const dirs = new TempDirs()
  after(async () => { await dirs.cleanup() })

  it('bundles the browser core within its size budget, with the browser swaps in', async () => {
    const out = join(await dirs.make('parley-web-'), 'web')
    const built = await buildWeb(out)
    assert.ok(built.coreGzipBytes < CORE_BUDGET_BYTES, `core ${built.coreGzipBytes} B gzipped, budget ${CORE_BUDGET_BYTES}`)
    const app = await readFile(join(out, 'app.js'), 'utf8')
    // parley.browser.ts and transports.browser.ts, not the Node versions
    assert.match(app, /IndexedDB|indexedDB/)
    assert.doesNotMatch(app, /node:fs|node-datachannel|multicast-dns/)
    // kad-dht's 99 kB prefix list is found on demand instead (src/node/kad-prefix-list.browser.ts)
    assert.doesNotMatch(app, /77591,22417,43971/)
    for (const file of ['index.html', 'style.css', 'app.js.map', 'manifest.webmanifest', 'sw.js']) {
      await readFile(join(out, file))
    }
    // file sharing: the file modules' browser versions (the origin private file system) and their worker
    assert.match(app, /getDirectory/)
    assert.match(app, new RegExp(OPFS_WORKER_SCRIPT.replace('.', '\\.')))
    const worker = await readFile(join(out, OPFS_WORKER_SCRIPT), 'utf8')
    assert.match(worker, /createSyncAccessHandle/)
    assert.ok(built.workerGzipBytes < 2_000, `the OPFS worker is ${built.workerGzipBytes} B gzipped`)
  })

  it('builds an installable app: manifest, icons, and a service worker keeping this build\'s files', async () => {
    const out = join(await dirs.make('parley-web-'), 'web')
    const built = await buildWeb(out)
    const html = await readFile(join(out, 'index.html'), 'utf8')
    assert.match(html, /<link rel="manifest" href="manifest\.webmanifest">/)
    const csp = /Content-Security-Policy" content="([^"]+)"/.exec(html)![1]
    assert.match(csp, /img-src 'self' data: blob:;/)
    assert.match(csp, /media-src blob:;/)
    assert.match(csp, /worker-src 'self';/)
    const manifest = JSON.parse(await readFile(join(out, 'manifest.webmanifest'), 'utf8'))
    assert.equal(manifest.display, 'standalone')
    for (const size of ICON_SIZES) {
      assert.ok(manifest.icons.some((i: { src: string, sizes: string }) => i.src === `icon-${size}.png` && i.sizes === `${size}x${size}`))
      const icon = await readFile(join(out, `icon-${size}.png`))
      assert.equal(icon.readUInt32BE(16), size, 'IHDR width')
      assert.equal(icon.readUInt32BE(20), size, 'IHDR height')
    }
    // the worker names this build's files and their hash; any change to them is a new version
    const worker = await readFile(join(out, 'sw.js'), 'utf8')
    assert.match(built.shellVersion, /^[0-9a-f]{16}$/)
    assert.ok(worker.includes(built.shellVersion))
    for (const file of SHELL_FILES) {
      assert.ok(worker.includes(JSON.stringify(file)), `sw.js keeps ${file}`)
      await readFile(join(out, file))
    }
    assert.equal(await versionOf(out, SHELL_FILES), built.shellVersion)
    await writeFile(join(out, 'style.css'), `${await readFile(join(out, 'style.css'), 'utf8')}\n`)
    assert.notEqual(await versionOf(out, SHELL_FILES), built.shellVersion)
    assert.ok(built.serviceWorkerGzipBytes < 2_000, `sw.js is ${built.serviceWorkerGzipBytes} B gzipped`)
  })

  it('encodes PNGs: valid chunks, and the pixels given, row by row', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => i * 10)
    const png = Buffer.from(encodePng(3, 2, pixels))
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    const chunks: Array<{ type: string, data: Buffer }> = []
    for (let at = 8; at < png.byteLength;) {
      const length = png.readUInt32BE(at)
      const typed = png.subarray(at + 4, at + 8 + length)
      assert.equal(png.readUInt32BE(at + 8 + length), crc32(typed), 'CRC')
      chunks.push({ type: typed.subarray(0, 4).toString('latin1'), data: typed.subarray(4) })
      at += 12 + length
    }
    assert.deepEqual(chunks.map(c => c.type), ['IHDR', 'IDAT', 'IEND'])
    assert.deepEqual([...chunks[0].data], [0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0])
    const rows = inflateSync(chunks[1].data)
    assert.deepEqual([...rows], [0, ...pixels.subarray(0, 12), 0, ...pixels.subarray(12)])
    assert.throws(() => encodePng(3, 2, new Uint8Array(5)), { name: 'RangeError' })
    assert.throws(() => encodePng(0, 2, new Uint8Array(0)), { name: 'RangeError' })
  })

  it('serves only files under its root, and config.json from memory', async () => {
    const root = await dirs.make('parley-static-')
    const server = await startStaticServer({ root, config: { bootstrap: [], lan: true } })
    try {
      assert.deepEqual(await (await fetch(new URL('config.json', server.url))).json(), { bootstrap: [], lan: true })
      // a raw request line, since fetch would normalise the dots away
      const res = await fetch(`${server.url}%2e%2e/%2e%2e/etc/passwd`)
      assert.ok(res.status === 403 || res.status === 404, `status ${res.status}`)
      assert.equal((await fetch(new URL('missing.js', server.url))).status, 404)
    } finally {
      await server.close()
    }
  })
})
