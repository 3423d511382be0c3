import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'
import { CALL_WORKER_SCRIPT, SERVICE_WORKER_SCRIPT } from '../../src/browser/constants.ts'
import { OPFS_WORKER_SCRIPT } from '../../src/files/constants.ts'
import { drawIcon } from './icon.ts'
import { encodePng } from './png.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** Where `npm run build:web` puts the static files */
export const DEFAULT_OUT_DIR = join(ROOT, 'dist/web')
/** Gzipped size budget of the core (no UI), from issue 6: 350 kB */
export const CORE_BUDGET_BYTES = 350_000
const STATIC_FILES = ['index.html', 'style.css', 'manifest.webmanifest']
/** The app icons drawn at build time (the manifest names them), by size in pixels */
export const ICON_SIZES = [192, 512]
/**
 * What the service worker keeps for offline starts: everything the page loads of its own (the
 * source map only for developers). config.json, the host's, is kept when the worker installs.
 */
export const SHELL_FILES = ['index.html', 'app.js', 'style.css', OPFS_WORKER_SCRIPT, CALL_WORKER_SCRIPT, 'manifest.webmanifest', ...ICON_SIZES.map(size => `icon-${size}.png`)]

export interface WebBuild {
  outDir: string
  /** app.js as served, and gzipped (level 9) */
  appBytes: number
  appGzipBytes: number
  /** The core alone (src/browser/core.ts: node, sessions, messenger, storage; no UI), gzipped */
  coreBytes: number
  coreGzipBytes: number
  /** The OPFS worker (src/files/opfs-worker.ts, loaded once a file is written), gzipped */
  workerGzipBytes: number
  /** The service worker (src/browser/sw.ts), gzipped */
  serviceWorkerGzipBytes: number
  /** The hash of SHELL_FILES that names the service worker's cache: a new build, a new cache */
  shellVersion: string
}

/**
 * The options both bundles share. `platform: 'browser'` makes esbuild honour package.json's
 * `browser` field, which swaps in the `*.browser.ts` files of this repository and of libp2p.
 */
const common: esbuild.BuildOptions = {
  bundle: true,
  plugins: [browserFieldForExports(), kadPrefixListOnDemand()],
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' }
}

/**
 * Swaps @libp2p/kad-dht's precomputed prefix list (99 kB) for one that finds each entry when
 * asked: see src/node/kad-prefix-list.browser.ts
 */
function kadPrefixListOnDemand (): esbuild.Plugin {
  return {
    name: 'kad-prefix-list-on-demand',
    setup (build) {
      build.onLoad({ filter: /@libp2p\/kad-dht\/dist\/src\/routing-table\/generated-prefix-list(-browser)?\.js$/ }, () => ({
        contents: `export { default } from ${JSON.stringify(join(ROOT, 'src/node/kad-prefix-list.browser.ts'))}`,
        resolveDir: ROOT,
        loader: 'js'
      }))
    }
  }
}

/**
 * esbuild ignores a package's `browser` field for a file it reached through the package's
 * `exports` (`@libp2p/noise/crypto` names the node:crypto build, and only the `browser` field
 * swaps it): this applies the field to such files too.
 */
function browserFieldForExports (): esbuild.Plugin {
  const manifests = new Map<string, { dir: string, browser: Record<string, string | false> } | undefined>()
  const manifestOf = (file: string): { dir: string, browser: Record<string, string | false> } | undefined => {
    const at = file.lastIndexOf('/node_modules/') + '/node_modules/'.length
    const name = file.slice(at).split('/').slice(0, file[at] === '@' ? 2 : 1).join('/')
    const dir = file.slice(0, at) + name
    if (!manifests.has(dir)) {
      try {
        const browser = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).browser
        manifests.set(dir, typeof browser === 'object' && browser != null ? { dir, browser } : undefined)
      } catch {
        manifests.set(dir, undefined)
      }
    }
    return manifests.get(dir)
  }
  return {
    name: 'browser-field-for-exports',
    setup (build) {
      // bare specifiers with a subpath (`pkg/sub`, `@scope/pkg/sub`): the ones `exports` may map
      build.onResolve({ filter: /^(@[^/.][^/]*\/)?[^/.@][^/]*\/.+/ }, async args => {
        if (args.pluginData === 'browser-field-for-exports') return undefined
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'browser-field-for-exports' })
        if (resolved.errors.length > 0 || !resolved.path.includes('/node_modules/')) return resolved
        const manifest = manifestOf(resolved.path)
        const swap = manifest?.browser[`./${resolved.path.slice(manifest.dir.length + 1)}`]
        return typeof swap === 'string' ? { ...resolved, path: join(manifest!.dir, swap) } : resolved
      })
    }
  }
}

/** Builds the web app into `outDir` (emptied first) and measures the core bundle */
export async function buildWeb (outDir = DEFAULT_OUT_DIR): Promise<WebBuild> {
  await rm(outDir, { recursive: true, force: true })
  await mkdir(outDir, { recursive: true })
  const app = await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'src/browser/main.ts')],
    outfile: join(outDir, 'app.js'),
    sourcemap: 'linked',
    write: false
  })
  for (const file of app.outputFiles) {
    await writeFile(file.path, file.contents)
  }
  // the worker that writes files in place: its own script next to app.js, where the core looks for it
  const worker = await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'src/files/opfs-worker.ts')],
    outfile: join(outDir, OPFS_WORKER_SCRIPT),
    write: false
  })
  await writeFile(worker.outputFiles[0].path, worker.outputFiles[0].contents)
  // the worker that seals and opens a call's media frames
  const callWorker = await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'src/browser/calls/frame-worker.ts')],
    outfile: join(outDir, CALL_WORKER_SCRIPT),
    write: false
  })
  await writeFile(callWorker.outputFiles[0].path, callWorker.outputFiles[0].contents)
  for (const name of STATIC_FILES) {
    await copyFile(join(ROOT, 'src/browser/static', name), join(outDir, name))
  }
  for (const size of ICON_SIZES) {
    await writeFile(join(outDir, `icon-${size}.png`), encodePng(size, size, drawIcon(size)))
  }
  const shellVersion = await versionOf(outDir, SHELL_FILES)
  const serviceWorker = await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'src/browser/sw.ts')],
    outfile: join(outDir, SERVICE_WORKER_SCRIPT),
    define: { ...common.define, PARLEY_SHELL_VERSION: JSON.stringify(shellVersion), PARLEY_SHELL_FILES: JSON.stringify(SHELL_FILES) },
    write: false
  })
  await writeFile(serviceWorker.outputFiles[0].path, serviceWorker.outputFiles[0].contents)
  // the core on its own, measured but not written: it is what the budget is about
  const core = await esbuild.build({ ...common, entryPoints: [join(ROOT, 'src/browser/core.ts')], write: false, outfile: 'core.js' })
  const appJs = app.outputFiles.find(f => f.path.endsWith('.js'))!.contents
  const coreJs = core.outputFiles[0].contents
  return {
    outDir,
    appBytes: appJs.byteLength,
    appGzipBytes: gzipSync(appJs, { level: 9 }).byteLength,
    coreBytes: coreJs.byteLength,
    coreGzipBytes: gzipSync(coreJs, { level: 9 }).byteLength,
    workerGzipBytes: gzipSync(worker.outputFiles[0].contents, { level: 9 }).byteLength,
    serviceWorkerGzipBytes: gzipSync(serviceWorker.outputFiles[0].contents, { level: 9 }).byteLength,
    shellVersion
  }
}

/** A short SHA-256 over the files' names and contents, in the order given */
export async function versionOf (dir: string, files: string[]): Promise<string> {
  const hash = createHash('sha256')
  for (const file of files) {
    const bytes = await readFile(join(dir, file))
    hash.update(`${file}\0${bytes.byteLength}\0`)
    hash.update(bytes)
  }
  return hash.digest('hex').slice(0, 16)
}

const kb = (n: number): string => `${(n / 1000).toFixed(1)} kB`

// `npm run build:web [-- --out DIR]`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out')
  const built = await buildWeb(at > 0 ? resolve(process.argv[at + 1]) : DEFAULT_OUT_DIR)
  console.log(`built ${built.outDir}`)
  console.log(`app.js  ${kb(built.appBytes)} (${kb(built.appGzipBytes)} gzipped)`)
  console.log(`core    ${kb(built.coreBytes)} (${kb(built.coreGzipBytes)} gzipped; budget ${kb(CORE_BUDGET_BYTES)})`)
  console.log(`${OPFS_WORKER_SCRIPT} ${kb(built.workerGzipBytes)} gzipped`)
  console.log(`${SERVICE_WORKER_SCRIPT} ${kb(built.serviceWorkerGzipBytes)} gzipped (app files version ${built.shellVersion})`)
  if (built.coreGzipBytes > CORE_BUDGET_BYTES) {
    console.error('the core bundle is over its size budget')
    process.exitCode = 1
  }
}
