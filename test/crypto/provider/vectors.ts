/**
 * Published test vectors, each with its source. Hex is lowercase; multi-line values are split
 * only for width.
 */

/** RFC 7748 §5.2: X25519 single-call vectors (the second has the top bit of u set) */
export const X25519_RFC7748 = [
  {
    scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
    u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
    output: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'
  },
  {
    scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
    u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
    output: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957'
  }
]

/** RFC 7748 §5.2: `k = u = 9`, then `k, u = X25519(k, u), k` repeated */
export const X25519_RFC7748_ITERATED = {
  start: '0900000000000000000000000000000000000000000000000000000000000000',
  after1: '422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079',
  after1000: '684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51'
}

/** RFC 7748 §6.1: Diffie-Hellman between Alice and Bob */
export const X25519_RFC7748_DH = {
  alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
  bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'
}

/**
 * X25519 public keys whose shared secret is all zero for every private key: libsodium's list of
 * small-order u-coordinates (0, 1, the two points of order 8, p - 1, p, p + 1), each also with
 * the top bit set, which X25519 ignores (RFC 7748 §5).
 */
export const X25519_LOW_ORDER_POINTS = ((): string[] => {
  const points = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
  ]
  const highBit = points.map(hex => hex.slice(0, 62) + (parseInt(hex.slice(62), 16) | 0x80).toString(16).padStart(2, '0'))
  return [...points, ...highBit]
})()

/** RFC 5869 Appendix A.1 (test case 1) and A.3 (test case 3: empty salt and info) */
export const HKDF_RFC5869 = [
  {
    name: 'test case 1',
    ikm: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
    salt: '000102030405060708090a0b0c',
    info: 'f0f1f2f3f4f5f6f7f8f9',
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'
  },
  {
    name: 'test case 3',
    ikm: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
    salt: '',
    info: '',
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8'
  }
]

/** RFC 4231 §4.2, §4.3 and §4.7 (key longer than the block size); data given as UTF-8 */
export const HMAC_SHA256_RFC4231 = [
  {
    name: 'test case 1',
    key: '0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b',
    data: 'Hi There',
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'
  },
  {
    name: 'test case 2',
    key: '4a656665',
    data: 'what do ya want for nothing?',
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
  },
  {
    name: 'test case 6',
    key: 'aa'.repeat(131),
    data: 'Test Using Larger Than Block-Size Key - Hash Key First',
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'
  }
]

/** FIPS 180-2 Appendix B.1 / C.1 ("abc") and the empty-message digests */
export const SHA2 = {
  sha256Abc: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  sha256Empty: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  sha512Abc: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a' +
    '2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'
}

/**
 * AES-256-GCM test cases 13 to 16 of McGrew & Viega, "The Galois/Counter Mode of Operation
 * (GCM)" (the revised submission to NIST), also in NIST CAVP gcmEncryptExtIV256.
 */
export const AES_256_GCM_MCGREW_VIEGA = [
  {
    name: 'test case 13 (empty plaintext)',
    key: '0000000000000000000000000000000000000000000000000000000000000000',
    nonce: '000000000000000000000000',
    plaintext: '',
    aad: undefined,
    ciphertext: '',
    tag: '530f8afbc74536b9a963b4f1c4cb738b'
  },
  {
    name: 'test case 14 (one zero block)',
    key: '0000000000000000000000000000000000000000000000000000000000000000',
    nonce: '000000000000000000000000',
    plaintext: '00000000000000000000000000000000',
    aad: undefined,
    ciphertext: 'cea7403d4d606b6e074ec5d3baf39d18',
    tag: 'd0d1c8a799996bf0265b98b5d48ab919'
  },
  {
    name: 'test case 15 (four blocks)',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    nonce: 'cafebabefacedbaddecaf888',
    plaintext: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
      '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255',
    aad: undefined,
    ciphertext: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad',
    tag: 'b094dac5d93471bdec1a502270e3cc6c'
  },
  {
    name: 'test case 16 (partial block, associated data)',
    key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
    nonce: 'cafebabefacedbaddecaf888',
    plaintext: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
      '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    ciphertext: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa' +
      '8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
    tag: '76fc6ece0f4e1768cddf8853bb2d551b'
  }
]

/**
 * ML-KEM-768 key generation from the seed `00 01 02 … 3f` (d = 00…1f, z = 20…3f):
 * draft-ietf-lamps-kyber-certificates, Appendix C, example ML-KEM-768 public key. The value is
 * the SubjectPublicKeyInfo in base64; the raw key is its last 1184 bytes.
 */
export const ML_KEM_768_LAMPS_EXAMPLE = {
  seed: Array.from({ length: 64 }, (_, i) => i.toString(16).padStart(2, '0')).join(''),
  spkiBase64:
    'MIIEsjALBglghkgBZQMEBAIDggShACmKoQ1CPI3aBp0CvFnmzfA6CWuLPaTKubgM' +
    'pKFJB2cszvHsT68jSgvFt+nUc/KzEzs7JqHRdctnp4BZGWmcAvdlMbmcX4kYBwS7' +
    'TKRTXFuJcmecZgoHxeUUuHAJyGLrj1FXaV77P8QKne9rgcHMAqJJrk8JStDZvTSF' +
    'wcHGgIBSCnyMYyAyzuc4FU5cUXbAfaVgJHdqQw/nbqz2ZaP3uDIQIhW8gvEJOcg1' +
    'VwQzao+sHYHkuwSFql18dNa1m75cXpcqDYusQRtVtdVVfNaAoaj3G064a8SMmgUJ' +
    'cxpUvZ1ykLJ5Y+Q3Lcmxmc/crAsBrNKKYjlREuTENkjWIsSMgjTQFEDozDdskn8j' +
    'pa/JrAR0xmInTkJFJchVLs47P+JlFt6QG8fVFb3olVjmJslcgLkzQvgBAATznmxs' +
    'lIccXjRMqzlmyDX5qWpZr9McQChrOLHBp4RwurlHUYk0RTzoZzapGfH1ptUQqG9U' +
    'VPw5gMtcdlvSvV97NrFBDWY1yM60fE3aDXaijqyTnHHDAkgEhmxxYmZYRCFjwsIh' +
    'F+UKzvzmN4qYVlIwKk7wws4Mxxa3eW4ray43d9+hrD2iWaMbWptTD4y2OKgaYqww' +
    'GEmrr5WnMBvaMAaJCb/bfmfbzLs4pVUaJbGjoPaFdIrVdT2IgPABbGJ0hhZjhMVX' +
    'H+I2WQA2TQODEeLYdds2ZoaTK17GAkMKNp6Hpu9cM4eGZXglvUwFes65I+sJNeaQ' +
    'XmO0ztf4CFenc91ksVDSZhLqmsEgUtsgF78YQ8y0sygbaQ3HKK36hcACgbjjwJKH' +
    'M1+Fa0/CiS9povV5Ia2gGRTECYhmLVd2lmKnhjUbm2ZJPat5WU2YbeIQDWW6D/Tq' +
    'WLgVONJKRDWiWPrCVASqf0H2WLE4UGXhWNy2ARVzJyD0BFmqrBXkBpU6kKxSmX0c' +
    'zQcAYO/GXbnmUzVEZ/rVbscTyG51QMQjrPJmn1L6b0rGiI2HHvPoR8ApqKr7uS4X' +
    'skqgebH0GbphdbRCr7EZCdSla3CgM1soc5IYqnyTSOLDwvPrPRWkHmQXwN2Uv+sh' +
    'QZsxGnuxOhgLvoMyGKmmsXRHzIXyJYWVh6cwdwSay8/UTQ8CVDjhXRU4Jw1Ybhv4' +
    'MZKpRZz2PA6XL4UpdnmDHs8SFQmFHLg0D28Qew+hoO/Rs2qBibwIXE9ct4TlU/Qb' +
    'kY+AOXzhlW94W+43fKmqi+aZitowwmt8PYxrVSVMyWIDsgxCruCsTh67QI5JqeP4' +
    'edCrB4XrcCVCXRMFoimcAV4SDRY7DhlJTOVyU9AkbRgnRcuBl6t0OLPBu3lyvsWj' +
    'BuujVnhVwBRpn+9lrlTHcKDYXBhADPZCrtxmB3e6SxOFAr1aeBL2IfhKSClrmN1D' +
    'IrbxWCi4qPDgCoukSlPDqLFDVxsHQKvVZ9rxzenHnCBLbV4lnRdmoxu7y05qBc9F' +
    'AhdrMBwcL0Ekd1AVe87IXoCbMKTWDXdHzdD1uZqoyCaYdRd5OqqAgKCxJKhVjfcr' +
    'vje3X07btr6CFtbGM/srIoDiURPYaV5DSBw+6zl+sZJQUim2eiAeqJPD4ssy2ovD' +
    'QvpN6gV4'
}

/**
 * X-Wing (draft-connolly-cfrg-xwing-kem-08, Appendix C, first vector), which is ML-KEM-768
 * (final FIPS 203) plus X25519: `expanded = SHAKE256(sk, 96)`, the ML-KEM seed is
 * `expanded[0..64]`, the X25519 private key `expanded[64..96]`; `pk = pkM || pkX`,
 * `ct = ctM || ctX`, `ss = SHA3-256(ssM || ssX || ctX || pkX || label)`.
 */
export const XWING_DRAFT08_VECTOR_1 = {
  sk: '7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26',
  pk:
    'e2236b35a8c24b39b10aa1323a96a919a2ced88400633a7b07131713fc14b2b5b19cfc3d' +
    'a5fa1a92c49f25513e0fd30d6b1611c9ab9635d7086727a4b7d21d34244e66969cf15b3b' +
    '2a785329f61b096b277ea037383479a6b556de7231fe4b7fa9c9ac24c0699a0018a52534' +
    '01bacfa905ca816573e56a2d2e067e9b7287533ba13a937dedb31fa44baced4076992361' +
    '0034ae31e619a170245199b3c5c39864859fe1b4c9717a07c30495bdfb98a0a002ccf56c' +
    '1286cef5041dede3c44cf16bf562c7448518026b3d8b9940680abd38a1575fd27b58da06' +
    '3bfac32c39c30869374c05c1aeb1898b6b303cc68be455346ee0af699636224a148ca2ae' +
    'a10463111c709f69b69c70ce8538746698c4c60a9aef0030c7924ceec42a5d36816f545e' +
    'ae13293460b3acb37ea0e13d70e4aa78686da398a8397c08eaf96882113fe4f7bad4da40' +
    'b0501e1c753efe73053c87014e8661c33099afe8bede414a5b1aa27d8392b3e131e9a70c' +
    '1055878240cad0f40d5fe3cdf85236ead97e2a97448363b2808caafd516cd25052c5c362' +
    '543c2517e4acd0e60ec07163009b6425fc32277acee71c24bab53ed9f29e74c66a0a3564' +
    '955998d76b96a9a8b50d1635a4d7a67eb42df5644d330457293a8042f53cc7a69288f17e' +
    'd55827e82b28e82665a86a14fbd96645eca8172c044f83bc0d8c0b4c8626985631ca87af' +
    '829068f1358963cb333664ca482763ba3b3bb208577f9ba6ac62c25f76592743b64be519' +
    '317714cb4102cb7b2f9a25b2b4f0615de31decd9ca55026d6da0b65111b16fe52feed8a4' +
    '87e144462a6dba93728f500b6ffc49e515569ef25fed17aff520507368253525860f58be' +
    '3be61c964604a6ac814e6935596402a520a4670b3d284318866593d15a4bb01c35e3e587' +
    'ee0c67d2880d6f2407fb7a70712b838deb96c5d7bf2b44bcf6038ccbe33fbcf51a54a584' +
    'fe90083c91c7a6d43d4fb15f48c60c2fd66e0a8aad4ad64e5c42bb8877c0ebec2b5e387c' +
    '8a988fdc23beb9e16c8757781e0a1499c61e138c21f216c29d076979871caa6942bafc09' +
    '0544bee99b54b16cb9a9a364d6246d9f42cce53c66b59c45c8f9ae9299a75d15180c3c95' +
    '2151a91b7a10772429dc4cbae6fcc622fa8018c63439f890630b9928db6bb7f9438ae406' +
    '5ed34d73d486f3f52f90f0807dc88dfdd8c728e954f1ac35c06c000ce41a0582580e3bb5' +
    '7b672972890ac5e7988e7850657116f1b57d0809aaedec0bede1ae148148311c6f7e3173' +
    '46e5189fb8cd635b986f8c0bdd27641c584b778b3a911a80be1c9692ab8e1bbb12839573' +
    'cce19df183b45835bbb55052f9fc66a1678ef2a36dea78411e6c8d60501b4e60592d1369' +
    '8a943b509185db912e2ea10be06171236b327c71716094c964a68b03377f513a05bcd99c' +
    '1f346583bb052977a10a12adfc758034e5617da4c1276585e5774e1f3b9978b09d0e9c44' +
    'd3bc86151c43aad185712717340223ac381d21150a04294e97bb13bbda21b5a182b6da96' +
    '9e19a7fd072737fa8e880a53c2428e3d049b7d2197405296ddb361912a7bcf4827ced611' +
    'd0c7a7da104dde4322095339f64a61d5bb108ff0bf4d780cae509fb22c256914193ff734' +
    '9042581237d522828824ee3bdfd07fb03f1f942d2ea179fe722f06cc03de5b69859edb06' +
    'eff389b27dce59844570216223593d4ba32d9abac8cd049040ef6534',
  ct:
    'b83aa828d4d62b9a83ceffe1d3d3bb1ef31264643c070c5798927e41fb07914a273f8f96' +
    'e7826cd5375a283d7da885304c5de0516a0f0654243dc5b97f8bfeb831f68251219aabdd' +
    '723bc6512041acbaef8af44265524942b902e68ffd23221cda70b1b55d776a92d1143ea3' +
    'a0c475f63ee6890157c7116dae3f62bf72f60acd2bb8cc31ce2ba0de364f52b8ed38c79d' +
    '719715963a5dd3842d8e8b43ab704e4759b5327bf027c63c8fa857c4908d5a8a7b88ac7f' +
    '2be394d93c3706ddd4e698cc6ce370101f4d0213254238b4a2e8821b6e414a1cf20f6c12' +
    '44b699046f5a01caa0a1a55516300b40d2048c77cc73afba79afeea9d2c0118bdf2adb88' +
    '70dc328c5516cc45b1a2058141039e2c90a110a9e16b318dfb53bd49a126d6b73f215787' +
    '517b8917cc01cabd107d06859854ee8b4f9861c226d3764c87339ab16c3667d2f49384e5' +
    '5456dd40414b70a6af841585f4c90c68725d57704ee8ee7ce6e2f9be582dbee985e038ff' +
    'c346ebfb4e22158b6c84374a9ab4a44e1f91de5aac5197f89bc5e5442f51f9a5937b102b' +
    'a3beaebf6e1c58380a4a5fedce4a4e5026f88f528f59ffd2db41752b3a3d90efabe46389' +
    '9b7d40870c530c8841e8712b733668ed033adbfafb2d49d37a44d4064e5863eb0af0a08d' +
    '47b3cc888373bc05f7a33b841bc2587c57eb69554e8a3767b7506917b6b70498727f16ea' +
    'c1a36ec8d8cfaf751549f2277db277e8a55a9a5106b23a0206b4721fa9b3048552c5bd5b' +
    '594d6e247f38c18c591aea7f56249c72ce7b117afcc3a8621582f9cf71787e183dee0936' +
    '7976e98409ad9217a497df888042384d7707a6b78f5f7fb8409e3b535175373461b77600' +
    '2d799cbad62860be70573ecbe13b246e0da7e93a52168e0fb6a9756b895ef7f0147a0dc8' +
    '1bfa644b088a9228160c0f9acf1379a2941cd28c06ebc80e44e17aa2f8177010afd78a97' +
    'ce0868d1629ebb294c5151812c583daeb88685220f4da9118112e07041fcc24d5564a99f' +
    'dbde28869fe0722387d7a9a4d16e1cc8555917e09944aa5ebaaaec2cf62693afad42a3f5' +
    '18fce67d273cc6c9fb5472b380e8573ec7de06a3ba2fd5f931d725b493026cb0acbd3fe6' +
    '2d00e4c790d965d7a03a3c0b4222ba8c2a9a16e2ac658f572ae0e746eafc4feba023576f' +
    '08942278a041fb82a70a595d5bacbf297ce2029898a71e5c3b0d1c6228b485b1ade509b3' +
    '5fbca7eca97b2132e7cb6bc465375146b7dceac969308ac0c2ac89e7863eb8943015b243' +
    '14cafb9c7c0e85fe543d56658c213632599efabfc1ec49dd8c88547bb2cc40c9d38cbd30' +
    '99b4547840560531d0188cd1e9c23a0ebee0a03d5577d66b1d2bcb4baaf21cc7fef1e038' +
    '06ca96299df0dfbc56e1b2b43e4fc20c37f834c4af62127e7dae86c3c25a2f696ac8b589' +
    'dec71d595bfbe94b5ed4bc07d800b330796fda89edb77be0294136139354eb8cd3759157' +
    '8f9c600dd9be8ec6219fdd507adf3397ed4d68707b8d13b24ce4cd8fb22851bfe9d63240' +
    '7f31ed6f7cb1600de56f17576740ce2a32fc5145030145cfb97e63e0e41d354274a079d3' +
    'e6fb2e15',
  ss: 'd2df0522128f09dd8e2c92b1e905c793d8f57a54c3da25861f10bf4ca613e384',
  /** The X-Wing label `\.//^\` */
  label: '5c2e2f2f5e5c'
}

/**
 * ML-KEM implicit rejection, from the first pq-crystals vector reproduced by C2SP CCTV
 * (ML-KEM/pq-crystals/test_vectors768.txt): inputs are read from SHAKE-128 of the empty string
 * (`coins` = the 64-byte seed, then a 32-byte message, then the 1088-byte "pseudorandom
 * ciphertext"). Decapsulating that ciphertext gives `J(z || ct)`, which depends only on `z` and
 * the ciphertext, so it is the same under final FIPS 203 as in the draft the file targets.
 */
export const ML_KEM_768_CCTV_IMPLICIT_REJECTION = {
  streamFirstBytes: '7f9c2ba4e88f827d616045507605853e',
  sharedSecret: 'b877da792d89f28049b590121601202d2bc8f5f1af8382bf4f3941050dd5172b'
}

/**
 * libsodium test/default/ed25519_convert: the Ed25519 key pair from this seed converts to this
 * X25519 key pair
 */
export const ED25519_TO_X25519_LIBSODIUM = {
  seed: '421151a459faeade3d247115f94aedae42318124095afabe4d1451a559faedee',
  x25519Public: 'f1814f0e8ff1043d8a44d25babff3cedcae6c22c3edaa48f857ae70de2baae50',
  x25519Private: '8052030376d47112be7f73ed7a019293dd12ad910b654455798b4667d73de166'
}
