import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { buildWeb, CORE_BUDGET_BYTES } from '../../scripts/web/build.ts'
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
    for (const file of ['index.html', 'style.css', 'app.js.map']) {
      await readFile(join(out, file))
    }
    // file sharing: the file modules' browser versions (the origin private file system) and their worker
    assert.match(app, /getDirectory/)
    assert.match(app, new RegExp(OPFS_WORKER_SCRIPT.replace('.', '\\.')))
    const worker = await readFile(join(out, OPFS_WORKER_SCRIPT), 'utf8')
    assert.match(worker, /createSyncAccessHandle/)
    assert.ok(built.workerGzipBytes < 2_000, `the OPFS worker is ${built.workerGzipBytes} B gzipped`)
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
