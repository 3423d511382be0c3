/**
 * A Chromium page inside a namespace of the internet in a box (test/net): the browser process
 * and everything it sends live in that namespace, while Playwright drives it from this process.
 */

import { chmod, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../../browser/helpers/browser.ts'
import type { WebAppConfig } from '../../../scripts/web/static-server.ts'
import type { Namespace } from '../../net/index.ts'
import type { BrowserContext } from 'playwright-core'

const SERVE_WEB = fileURLToPath(new URL('./serve-web.ts', import.meta.url))

/** How long the static server in a namespace may take to print its URL (a Node start with the type transform) */
const SERVER_START_TIMEOUT_MS = 30_000

/**
 * Launches Chromium (a fresh profile in `dir`) inside `ns`. Playwright starts the executable it
 * is given and talks to it over a pipe (file descriptors 3 and 4), which needs no network, so
 * the executable is a wrapper that enters the namespace first: `ip netns exec` keeps the
 * descriptors, and setpriv's parent-death signal kills the browser should this process die
 * unannounced. Deleting the namespace (InternetBox.destroy) kills whatever is left of it.
 */
export async function launchInNamespace (ns: Namespace, dir: string): Promise<BrowserContext> {
  const wrapper = join(dir, 'chromium-in-namespace')
  await writeFile(wrapper, `#!/bin/sh\nexec ip netns exec ${ns.name} setpriv --pdeathsig KILL -- ${shellQuote(CHROMIUM)} "$@"\n`)
  await chmod(wrapper, 0o755)
  return chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: wrapper,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 720 }
  })
}

/**
 * Serves the built web app (`root`) with `config` as its config.json from a process inside `ns`,
 * on that namespace's own 127.0.0.1; resolves with the URL. The page's origin is then loopback,
 * a secure context, as `npm run web` gives a developer; its relays are on box addresses.
 */
export async function serveWebIn (ns: Namespace, root: string, config: WebAppConfig): Promise<string> {
  const child = ns.spawn(process.execPath, [
    '--experimental-transform-types', '--disable-warning=ExperimentalWarning', SERVE_WEB, root, JSON.stringify(config)
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', d => { stderr += d })
  const lines = createInterface({ input: child.stdout! })
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no URL from the web server in ${ns.name} after ${SERVER_START_TIMEOUT_MS} ms`)) }, SERVER_START_TIMEOUT_MS)
      lines.once('line', line => { clearTimeout(timer); resolve(line) })
      child.once('exit', code => { clearTimeout(timer); reject(new Error(`the web server in ${ns.name} exited with ${code}: ${stderr}`)) })
    })
    return JSON.parse(line).url
  } finally {
    lines.close()
  }
}

function shellQuote (text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`
}
