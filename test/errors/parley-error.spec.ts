import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { createServer, connect } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { DialError, StreamResetError } from '@libp2p/interface'
import { ERROR_KINDS, ParleyError, errorInfo, errorKind, httpStatusFor, knownErrorKind } from '../../src/errors/index.ts'
import { EXIT_FAILURE, EXIT_USAGE, exitCodeFor } from '../../src/cli/output.ts'
import { ControlRequestError } from '../../src/control/errors.ts'
import { FileRefusedError, NoDirectConnectionError } from '../../src/protocols/file/errors.ts'
import { QuotaExceededError } from '../../src/protocols/mailbox/errors.ts'
import { InvalidEnvelopeError } from '../../src/crypto/sealed-sender/errors.ts'
import { InvalidPeerError } from '../../src/identity/errors.ts'
import { UnknownTransferError } from '../../src/files/errors.ts'

const SRC = join(import.meta.dirname, '../../src')

/** Classes that extend Error without being failures, with the reason */
const NOT_FAILURES = new Map([
  // thrown inside a decrypt's commit to carry a peeked message out of it, never to a caller
  ['messenger/receive-pipeline.ts:Peeked', 'control flow']
])

/** Arguments for constructors that need some */
const ARGS: Record<string, unknown[]> = {
  ShutdownError: [[]],
  FileRefusedError: ['unknown'],
  ControlRequestError: ['InvalidPeerError', 'not an address', 400, { code: 'INVALID_PEER', kind: 'bad-input' }]
}

interface Declared { file: string, name: string, exported: boolean, base: string }

/** Every `class X extends Y` in src/ whose base is Error or an error class */
async function declaredErrorClasses (): Promise<Declared[]> {
  const found: Declared[] = []
  for (const entry of await readdir(SRC, { recursive: true })) {
    if (!entry.endsWith('.ts') || entry.split('/').includes('pb')) continue
    const text = await readFile(join(SRC, entry), 'utf8')
    for (const m of text.matchAll(/^(export\s+)?(?:abstract\s+)?class\s+(\w+)\s+extends\s+(\w+)/gm)) {
      if (m[3] === 'Error' || m[3].endsWith('Error')) found.push({ file: entry, name: m[2], exported: m[1] != null, base: m[3] })
    }
  }
  return found
}

async function errorClasses (): Promise<Array<{ file: string, type: new (...args: any[]) => Error }>> {
  const classes = []
  for (const d of await declaredErrorClasses()) {
    if (d.name === 'ParleyError' || NOT_FAILURES.has(`${d.file}:${d.name}`)) continue
    const module = await import(pathToFileURL(join(SRC, d.file)).href)
    classes.push({ file: d.file, type: module[d.name] })
  }
  return classes
}

describe('error classes', function () {
  let classes: Array<{ file: string, type: new (...args: any[]) => Error }>

  before(async () => {
    classes = await errorClasses()
  })

  it('every error class in src/ is an exported ParleyError', async () => {
    const declared = await declaredErrorClasses()
    assert.ok(declared.length >= 80, `only ${declared.length} error classes found: is the search broken?`)
    for (const d of declared) {
      if (d.name === 'ParleyError' || NOT_FAILURES.has(`${d.file}:${d.name}`)) continue
      assert.ok(d.exported, `${d.file}: ${d.name} is not exported, so nothing can check its kind`)
      assert.notEqual(d.base, 'Error', `${d.file}: ${d.name} extends Error, not ParleyError`)
    }
  })

  it('each has a kind, a unique UPPER_SNAKE code and its own name', async () => {
    const codes = new Map<string, string>()
    for (const { file, type } of classes) {
      const where = `${file}: ${type.name}`
      assert.ok(type.prototype instanceof ParleyError, `${where} does not extend ParleyError`)
      const err = new type(...(ARGS[type.name] ?? [])) as ParleyError
      assert.ok(ERROR_KINDS.includes(err.kind), `${where} has kind ${String(err.kind)}`)
      assert.match(err.code, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, `${where} has code ${String(err.code)}`)
      assert.ok(err instanceof Error && err.stack != null)
      // a ControlRequestError carries the daemon-side error's name and code
      if (type === ControlRequestError) continue
      assert.equal(err.name, type.name, `${where}: the instance's name is not the class's`)
      assert.ok(!codes.has(err.code), `${where} has the code ${err.code} of ${codes.get(err.code)}`)
      codes.set(err.code, where)
    }
  })

  /** Each test below names classes by the name lists that classified them before kinds */
  const kindOf = (name: string): string[] => {
    const matching = classes.filter(c => c.type.name === name)
    assert.ok(matching.length > 0, `no error class ${name}`)
    return matching.map(c => (new c.type(...(ARGS[name] ?? [])) as ParleyError).kind)
  }

  it('what the CLI and the API took for the user\'s mistake is bad-input or not-found', () => {
    for (const name of [
      'InvalidPeerError', 'InvalidMessageTextError', 'SelfMessageError', 'ContactNameTakenError',
      'BadRequestError', 'BootstrapListError', 'InvalidMultiaddrError', 'SocketPathTooLongError',
      'WeakPassphraseError', 'InvalidBackupError', 'DataDirNotEmptyError', 'WrongPassphraseError',
      'PassphraseRequiredError', 'IdentityLockedError', 'NotAFileError'
    ]) {
      assert.deepEqual(kindOf(name), ['bad-input'], name)
    }
    assert.deepEqual(kindOf('UnknownTransferError'), ['not-found'])
    assert.deepEqual(kindOf('NotFoundError'), ['not-found'])
  })

  it('what the outbox fails a message for is permanent or refused; what it retries on the way is transient', () => {
    // what the outbox failed a message for by name before kinds (src/messenger/delivery.ts failsForGood)
    assert.deepEqual(kindOf('MessageRejectedError'), ['refused'])
    for (const name of ['InvalidChatMessageError', 'BundleMismatchError', 'InvalidBundleError']) {
      assert.deepEqual(kindOf(name), ['permanent'], name)
    }
    for (const name of ['NoPrekeyBundleError', 'UnexpectedAckError', 'UnfinishedFramesLimitError']) {
      assert.deepEqual(kindOf(name), ['transient'], name)
    }
  })

  it('what the receiver cannot decrypt is permanent', () => {
    // src/messenger/receive-pipeline.ts UNDECRYPTABLE, and a repeat
    for (const name of [
      'InvalidEnvelopeError', 'InvalidMessageError', 'InvalidSessionMessageError', 'InvalidSessionError',
      'NoSessionError', 'UnknownPrekeyError', 'InvalidInitialMessageError', 'TooManySkippedMessagesError',
      'InvalidPaddingError', 'SkippedKeyEvictedError', 'DuplicateMessageError', 'InvalidContentError'
    ]) {
      assert.ok(kindOf(name).every(k => k === 'permanent'), name)
    }
  })

  it('a file refusal is refused, but transient when the sender is busy', () => {
    assert.equal(new FileRefusedError('unknown').kind, 'refused')
    assert.equal(new FileRefusedError('unavailable').kind, 'refused')
    assert.equal(new FileRefusedError('busy').kind, 'transient')
    assert.equal(new FileRefusedError('busy').code, 'FILE_REFUSED')
  })
})

describe('errorKind', () => {
  it('is a ParleyError\'s own kind', () => {
    assert.equal(errorKind(new InvalidPeerError()), 'bad-input')
    assert.equal(errorKind(new QuotaExceededError()), 'refused')
    assert.equal(errorKind(new InvalidEnvelopeError()), 'permanent')
  })

  it('takes aborts and timeouts for transient', async () => {
    assert.equal(knownErrorKind(AbortSignal.abort().reason), 'transient')
    const timeout = AbortSignal.timeout(1)
    await new Promise(resolve => { timeout.addEventListener('abort', resolve) })
    assert.equal(timeout.reason.name, 'TimeoutError')
    assert.equal(knownErrorKind(timeout.reason), 'transient')
  })

  it('takes network system errors and libp2p\'s dial and stream errors for transient', async () => {
    const refused = await new Promise<Error>(resolve => {
      const server = createServer()
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number }
        server.close(() => { connect(port, '127.0.0.1').once('error', resolve) })
      })
    })
    assert.equal((refused as any).code, 'ECONNREFUSED')
    assert.equal(knownErrorKind(refused), 'transient')
    assert.equal(knownErrorKind(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })), 'transient')
    assert.equal(knownErrorKind(new DialError('no route')), 'transient')
    assert.equal(knownErrorKind(new StreamResetError('reset')), 'transient')
    assert.equal(knownErrorKind(new AggregateError([new DialError(), refused], 'All multiaddr dials failed')), 'transient')
    assert.equal(knownErrorKind(new AggregateError([new DialError(), new TypeError('bug')])), undefined)
  })

  it('knows no kind for a bug, but retries it: transient', () => {
    for (const err of [new TypeError('x is undefined'), new Error('?'), Object.assign(new Error('gone'), { code: 'ENOENT' }), 'a string', undefined, null]) {
      assert.equal(knownErrorKind(err), undefined)
      assert.equal(errorKind(err), 'transient')
    }
  })
})

describe('httpStatusFor and exitCodeFor', () => {
  const cases: Array<{ err: unknown, status: number, exit: number }> = [
    { err: new InvalidPeerError(), status: 400, exit: EXIT_USAGE },
    { err: new UnknownTransferError(), status: 404, exit: EXIT_USAGE },
    { err: new QuotaExceededError(), status: 403, exit: EXIT_FAILURE },
    { err: new NoDirectConnectionError(), status: 503, exit: EXIT_FAILURE },
    { err: AbortSignal.abort().reason, status: 503, exit: EXIT_FAILURE },
    { err: new InvalidEnvelopeError(), status: 500, exit: EXIT_FAILURE },
    { err: new TypeError('a bug'), status: 500, exit: EXIT_FAILURE },
    { err: 'thrown as a string', status: 500, exit: EXIT_FAILURE }
  ]
  for (const { err, status, exit } of cases) {
    it(`${String((err as any)?.name ?? typeof err)}: ${status}, exit ${exit}`, () => {
      assert.equal(httpStatusFor(err), status)
      assert.equal(exitCodeFor(err), exit)
    })
  }

  it('the CLI exits by the kind the daemon answered, whatever the name', () => {
    assert.equal(exitCodeFor(new ControlRequestError('InvalidPeerError', 'no', 400, { code: 'INVALID_PEER', kind: 'bad-input' })), EXIT_USAGE)
    assert.equal(exitCodeFor(new ControlRequestError('UnknownTransferError', 'no', 404, { code: 'UNKNOWN_TRANSFER', kind: 'not-found' })), EXIT_USAGE)
    assert.equal(exitCodeFor(new ControlRequestError('SomeNewError', 'no', 400, { code: 'SOME_NEW', kind: 'bad-input' })), EXIT_USAGE)
    assert.equal(exitCodeFor(new ControlRequestError('InvalidPeerError', 'no', 503, { code: 'INVALID_PEER', kind: 'transient' })), EXIT_FAILURE)
  })

  it('an answer without a kind (an older daemon) is classified by its status', () => {
    const answer = (status: number): ControlRequestError => new ControlRequestError('InvalidPeerError', 'no', status)
    assert.equal(answer(400).kind, 'bad-input')
    assert.equal(answer(404).kind, 'not-found')
    assert.equal(answer(500).kind, 'transient')
    assert.equal(answer(500).code, 'UNKNOWN')
    assert.equal(exitCodeFor(answer(400)), EXIT_USAGE)
  })
})

describe('errorInfo', () => {
  it('shows a ParleyError\'s name, code, kind and message', () => {
    assert.deepEqual(errorInfo(new InvalidPeerError('"x" is not an address')), { name: 'InvalidPeerError', code: 'INVALID_PEER', kind: 'bad-input', message: '"x" is not an address' })
  })

  it('shows the daemon-side error of a ControlRequestError', () => {
    assert.deepEqual(errorInfo(new ControlRequestError('QuotaExceededError', 'full', 403, { code: 'QUOTA_EXCEEDED', kind: 'refused' })), { name: 'QuotaExceededError', code: 'QUOTA_EXCEEDED', kind: 'refused', message: 'full' })
  })

  it('gives other errors UNAVAILABLE when transient, INTERNAL when unclassified', () => {
    assert.deepEqual(errorInfo(new DialError('no route')), { name: 'DialError', code: 'UNAVAILABLE', kind: 'transient', message: 'no route' })
    assert.deepEqual(errorInfo(new TypeError('a bug')), { name: 'TypeError', code: 'INTERNAL', kind: 'transient', message: 'a bug' })
    assert.deepEqual(errorInfo('a string'), { name: 'Error', code: 'INTERNAL', kind: 'transient', message: 'a string' })
  })
})
