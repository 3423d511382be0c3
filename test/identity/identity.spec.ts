import assert from 'node:assert/strict'
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import {
  IDENTITY_FILE, identityPath, loadIdentity, loadOrCreateIdentity, resolveDataDir
} from '../../src/identity/index.ts'

const isPosix = process.platform !== 'win32'

describe('identity', () => {
  let root: string

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'parley-'))
  })

  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('creates an Ed25519 identity, then loads the same one', async () => {
    const dir = join(root, 'data')
    const created = await loadOrCreateIdentity(dir)
    assert.equal(created.created, true)
    assert.equal(created.peerId.type, 'Ed25519')
    assert.equal(created.privateKey.type, 'Ed25519')

    const again = await loadOrCreateIdentity(dir)
    assert.equal(again.created, false)
    assert.ok(again.peerId.equals(created.peerId))

    const loaded = await loadIdentity(dir)
    assert.equal(loaded.created, false)
    assert.ok(loaded.peerId.equals(created.peerId))
    assert.deepEqual(loaded.privateKey.raw, created.privateKey.raw)
  })

  it('stores the key as libp2p protobuf bytes in identity.key, with no temp file left', async () => {
    const dir = join(root, 'data')
    const { privateKey } = await loadOrCreateIdentity(dir)
    assert.deepEqual(new Uint8Array(await readFile(join(dir, IDENTITY_FILE))), privateKeyToProtobuf(privateKey))
    assert.deepEqual(await readdir(dir), [IDENTITY_FILE])
  })

  it('creates the key file 0600 and missing data directories 0700', async function () {
    if (!isPosix) this.skip()
    const dir = join(root, 'nested', 'data')
    await loadOrCreateIdentity(dir)
    assert.equal((await stat(identityPath(dir))).mode & 0o777, 0o600)
    assert.equal((await stat(dir)).mode & 0o777, 0o700)
    assert.equal((await stat(join(root, 'nested'))).mode & 0o777, 0o700)
  })

  it('tightens a group/world readable key file to 0600 on load', async function () {
    if (!isPosix) this.skip()
    const dir = join(root, 'data')
    const { peerId } = await loadOrCreateIdentity(dir)
    await chmod(identityPath(dir), 0o644)

    const loaded = await loadIdentity(dir)
    assert.ok(loaded.peerId.equals(peerId))
    assert.equal((await stat(identityPath(dir))).mode & 0o777, 0o600)

    await chmod(identityPath(dir), 0o660)
    await loadOrCreateIdentity(dir)
    assert.equal((await stat(identityPath(dir))).mode & 0o777, 0o600)
  })

  it('loadIdentity throws IdentityNotFoundError and creates nothing when there is no key', async () => {
    const dir = join(root, 'missing')
    await assert.rejects(loadIdentity(dir), (err: Error) => {
      assert.equal(err.name, 'IdentityNotFoundError')
      assert.match(err.message, /identity\.key/)
      return true
    })
    await assert.rejects(stat(dir), { code: 'ENOENT' })
  })

  for (const [label, bytes] of [
    ['garbage', new TextEncoder().encode('this is not a key at all')],
    ['an empty file', new Uint8Array(0)],
    ['a truncated key', null]
  ] as const) {
    it(`throws IdentityCorruptError for ${label} and leaves the file unchanged`, async () => {
      const dir = join(root, 'data')
      await mkdir(dir)
      let content: Uint8Array
      if (bytes === null) {
        content = privateKeyToProtobuf(await generateKeyPair('Ed25519')).subarray(0, 40)
      } else {
        content = bytes
      }
      await writeFile(identityPath(dir), content, { mode: 0o600 })

      for (const load of [loadIdentity, loadOrCreateIdentity]) {
        await assert.rejects(load(dir), (err: Error) => {
          assert.equal(err.name, 'IdentityCorruptError')
          assert.ok(err.message.includes(identityPath(dir)), err.message)
          assert.match(err.message, /NOT overwritten/)
          return true
        })
      }
      assert.deepEqual(new Uint8Array(await readFile(identityPath(dir))), content)
      assert.deepEqual(await readdir(dir), [IDENTITY_FILE])
    })
  }

  it('rejects a key of another type without overwriting it', async () => {
    const dir = join(root, 'data')
    await mkdir(dir)
    const content = privateKeyToProtobuf(await generateKeyPair('secp256k1'))
    await writeFile(identityPath(dir), content, { mode: 0o600 })

    await assert.rejects(loadOrCreateIdentity(dir), (err: Error) => {
      assert.equal(err.name, 'IdentityCorruptError')
      assert.match(err.message, /secp256k1/)
      return true
    })
    assert.deepEqual(new Uint8Array(await readFile(identityPath(dir))), content)
  })

  it('rejects a key whose stored public half does not match its private half', async () => {
    const dir = join(root, 'data')
    await mkdir(dir)
    const content = privateKeyToProtobuf(await generateKeyPair('Ed25519'))
    content[content.length - 1] ^= 0x01
    await writeFile(identityPath(dir), content, { mode: 0o600 })

    await assert.rejects(loadIdentity(dir), { name: 'IdentityCorruptError' })
    assert.deepEqual(new Uint8Array(await readFile(identityPath(dir))), content)
  })

  it('concurrent creations agree on one key', async () => {
    const dir = join(root, 'data')
    const results = await Promise.all([1, 2, 3, 4].map(async () => loadOrCreateIdentity(dir)))
    assert.equal(results.filter(r => r.created).length, 1)
    for (const r of results) {
      assert.ok(r.peerId.equals(results[0].peerId))
    }
    assert.ok((await loadIdentity(dir)).peerId.equals(results[0].peerId))
    assert.deepEqual(await readdir(dir), [IDENTITY_FILE])
  })
})

describe('resolveDataDir', () => {
  it('prefers the option, then $PARLEY_HOME, then ~/.parley', () => {
    assert.equal(resolveDataDir('/opt/a', { PARLEY_HOME: '/opt/b' }), '/opt/a')
    assert.equal(resolveDataDir(undefined, { PARLEY_HOME: '/opt/b' }), '/opt/b')
    assert.equal(resolveDataDir(undefined, {}), join(homedir(), '.parley'))
  })

  it('treats empty strings as not given', () => {
    assert.equal(resolveDataDir('', { PARLEY_HOME: '/opt/b' }), '/opt/b')
    assert.equal(resolveDataDir('', { PARLEY_HOME: '' }), join(homedir(), '.parley'))
  })

  it('returns absolute paths', () => {
    assert.equal(resolveDataDir('rel/dir', {}), resolve('rel/dir'))
    assert.equal(resolveDataDir(undefined, { PARLEY_HOME: 'env-dir' }), resolve('env-dir'))
  })
})
