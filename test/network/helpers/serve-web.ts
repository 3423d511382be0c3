/**
 * Run inside a box namespace (`node serve-web.ts ROOT CONFIG_JSON`): serves the built web app on
 * that namespace's 127.0.0.1, with CONFIG_JSON as its config.json, and prints `{"url": ...}`.
 * A page on http://127.0.0.1 is a secure context (IndexedDB, Web Locks, OPFS), which a page on
 * a box address over plain http would not be.
 */
import { startStaticServer } from '../../../scripts/web/static-server.ts'

const [root, config] = process.argv.slice(2)
if (root == null || config == null) {
  process.stderr.write('usage: serve-web.ts ROOT CONFIG_JSON\n')
  process.exit(2)
}
const server = await startStaticServer({ root, config: JSON.parse(config) })
process.stdout.write(JSON.stringify({ url: server.url }) + '\n')
