import assert from 'node:assert/strict'
import { decoderTargets } from '../../scripts/fuzz/decoders.ts'
import { clean, runFuzz } from '../../scripts/fuzz/fuzz.ts'

/**
 * The fuzzer's seeded short run (`npm run fuzz` is the full one, figures in docs/HARDENING.md):
 * the same inputs every time, so a failure here is found again by its seed
 */
describe('fuzzing, a seeded short run', function () {
  this.timeout(180_000)

  it('every decoder, handler and control route survives its inputs: no crash, hang, 500 or unhandled rejection', async () => {
    const report = await runFuzz({ decoderCases: 2_000, handlerCases: 30, controlCases: 100, seed: 20261206 })
    assert.ok(report.decoders.length >= 40, `${report.decoders.length} decoders`)
    assert.equal(report.handlers.length, 7)
    for (const d of report.decoders) assert.equal(d.failure, undefined, `${d.name}: ${d.failure}`)
    for (const h of report.handlers) {
      assert.equal(h.hung, 0, `${h.protocol}: ${h.hung} streams hung`)
      assert.ok(h.healthy, `${h.protocol}: the node no longer delivers`)
    }
    assert.deepEqual(report.control?.serverErrors, [])
    assert.deepEqual(report.unhandled, [])
    assert.ok(clean(report))
    // the inputs reach past the first byte: some decode, some are refused
    assert.ok(report.decoders.every(d => d.refused + d.decoded === d.cases))
    assert.ok(report.decoders.filter(d => d.decoded > 0).length >= 38, 'most decoders decode some inputs')
  })
})

describe('fuzzing seeds', function () {
  this.timeout(30_000)

  it('every decoder that needs a valid shape to get past its checks has a seed it accepts', async () => {
    const targets = await decoderTargets()
    // signed, sealed or framed inputs: random bytes never reach their inner checks
    for (const name of ['prekeys.dhtRecord', 'sealed-sender.open', 'ratchet.header', 'stun.bindingRequest']) {
      const target = targets.find(t => t.name === name)
      assert.ok(target != null, name)
      assert.ok(target.seeds.length > 0, `${name} has no seed`)
      for (const seed of target.seeds) await target.decode(seed)
    }
  })
})
