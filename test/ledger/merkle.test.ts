import fc from 'fast-check';
import t from 'tap';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafDigestInPlace,
  leafHash,
  leafHashInPlace,
  MerkleFrontier,
  MerkleLog,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from '../../src/ledger/merkle.js';

// Reference vectors of the RFC 6962 / RFC 9162 tree (SHA-256), from Google's transparency-dev/merkle
// project: testonly/constants.go (LeafInputs, RootHashes) and testonly/reference_test.go
// (TestRefInclusionProof, TestRefConsistencyProof), https://github.com/transparency-dev/merkle.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (h) => Buffer.from(h, 'hex'),
);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: { index: number; size: number; proof: string[] }[] = [
  { index: 0, size: 1, proof: [] },
  { index: 0, size: 2, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7'] },
  { index: 1, size: 2, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'] },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const CONSISTENCY: { first: number; second: number; proof: string[] }[] = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const hex = (bs: readonly Buffer[]) => bs.map((b) => b.toString('hex'));
const hashes = LEAVES.map((l) => leafHash(l));

t.test('tree heads of 0..8 leaves are the reference roots (reference and incremental tree)', async (t) => {
  t.equal(EMPTY_ROOT.toString('hex'), ROOTS[0]);
  const log = new MerkleLog();
  for (let n = 0; n <= 8; n++) {
    t.equal(rootOf(hashes.slice(0, n)).toString('hex'), ROOTS[n], `MTH of ${n} leaves`);
    t.equal(log.root().toString('hex'), ROOTS[n], `incremental MTH of ${n} leaves`);
    if (n < 8) log.append(LEAVES[n]!);
  }
});

t.test('inclusion proofs are the reference proofs and verify; altered ones do not', async (t) => {
  const log = new MerkleLog();
  for (const l of LEAVES) log.append(l);
  for (const v of INCLUSION) {
    t.same(hex(inclusionProof(hashes, v.index, v.size)), v.proof, `PATH(${v.index}, D[${v.size}])`);
    t.same(hex(log.inclusionProof(v.index, v.size)), v.proof, `log PATH(${v.index}, D[${v.size}])`);
    const root = Buffer.from(ROOTS[v.size]!, 'hex');
    const proof = v.proof.map((h) => Buffer.from(h, 'hex'));
    t.ok(verifyInclusion(v.index, v.size, hashes[v.index]!, proof, root));
    if (v.size > 1) {
      t.notOk(verifyInclusion(v.index, v.size, hashes[(v.index + 1) % v.size]!, proof, root), 'another leaf');
      t.notOk(
        verifyInclusion(v.index, v.size, hashes[v.index]!, proof, Buffer.from(ROOTS[v.size - 1]!, 'hex')),
        'another root',
      );
    }
  }
});

t.test('consistency proofs are the reference proofs and verify; altered ones do not', async (t) => {
  const log = new MerkleLog();
  for (const l of LEAVES) log.append(l);
  for (const v of CONSISTENCY) {
    t.same(hex(consistencyProof(hashes, v.first, v.second)), v.proof, `PROOF(${v.first}, D[${v.second}])`);
    t.same(hex(log.consistencyProof(v.first, v.second)), v.proof);
    const a = Buffer.from(ROOTS[v.first]!, 'hex');
    const b = Buffer.from(ROOTS[v.second]!, 'hex');
    const proof = v.proof.map((h) => Buffer.from(h, 'hex'));
    t.ok(verifyConsistency(v.first, v.second, a, b, proof));
    if (v.first !== v.second) {
      t.notOk(verifyConsistency(v.first, v.second, b, b, proof), 'wrong first root');
      t.notOk(verifyConsistency(v.first, v.second, a, a, proof), 'wrong second root');
      t.notOk(verifyConsistency(v.first, v.second, a, b, proof.slice(1)), 'short proof');
    }
  }
});

t.test('property: every proof of random trees verifies and any flipped byte fails', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(), (size, a, b, flip) => {
      const log = new MerkleLog();
      const leaves: Buffer[] = [];
      for (let i = 0; i < size; i++) leaves.push(log.append(Buffer.from(`entry ${i}`)));
      if (!log.root().equals(rootOf(leaves))) return false;
      const index = a % size;
      const path = log.inclusionProof(index);
      if (!verifyInclusion(index, size, leaves[index]!, path, log.root())) return false;
      const first = b % (size + 1);
      const proof = log.consistencyProof(first);
      const r1 = log.root(first);
      if (!verifyConsistency(first, size, r1, log.root(), proof)) return false;
      if (path.length > 0) {
        const bad = path.map((p) => Buffer.from(p));
        bad[flip % bad.length]![flip % 32]! ^= 1;
        if (verifyInclusion(index, size, leaves[index]!, bad, log.root())) return false;
      }
      if (proof.length > 0) {
        const bad = proof.map((p) => Buffer.from(p));
        bad[flip % bad.length]![flip % 32]! ^= 1;
        if (verifyConsistency(first, size, r1, log.root(), bad)) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

t.test('the right edge folds the same heads as the full tree; in-place leaf hashes equal copied ones', (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 70 }), (entries) => {
      const leaves = entries.map((e) => leafHash(e));
      const edge = new MerkleFrontier();
      const byDigest = new MerkleFrontier();
      if (!edge.root().equals(EMPTY_ROOT) || byDigest.rootDigest() !== EMPTY_ROOT.toString('latin1')) return false;
      for (let n = 0; n < leaves.length; n++) {
        edge.appendLeafHash(leaves[n]!);
        if (edge.size !== n + 1 || !edge.root().equals(rootOf(leaves, 0, n + 1))) return false;
        const scratch = Buffer.concat([Buffer.from([0x0a]), Buffer.from(entries[n]!), Buffer.from([0x0a])]);
        if (!leafHashInPlace(scratch, 1, 1 + entries[n]!.length).equals(leaves[n]!)) return false;
        // The verifier's path: leaf digests hashed in place, folded as digest strings.
        const scratch2 = Buffer.concat([Buffer.from([0x0a]), Buffer.from(entries[n]!), Buffer.from([0x0a])]);
        byDigest.appendLeafDigest(leafDigestInPlace(scratch2, 1, 1 + entries[n]!.length));
        if (byDigest.size !== n + 1 || byDigest.rootDigest() !== rootOf(leaves, 0, n + 1).toString('latin1'))
          return false;
      }
      return true;
    }),
    { numRuns: 300 },
  );
  t.throws(() => leafHashInPlace(Buffer.alloc(4), 0, 2), RangeError);
  t.throws(() => leafDigestInPlace(Buffer.alloc(4), 0, 2), RangeError);
  t.throws(() => new MerkleFrontier().appendLeafDigest('short'), RangeError);
  t.throws(() => new MerkleFrontier().appendLeafHash(Buffer.alloc(31)), RangeError);
  t.end();
});
