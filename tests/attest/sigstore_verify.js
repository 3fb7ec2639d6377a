// Verifies provgate's Sigstore bundles with sigstore-js (@sigstore/verify), offline: the
// public key as trust material, no transparency log, no certificate. Also checks that another
// key is rejected.
//
//   npm install --prefix DIR @sigstore/verify@2 @sigstore/bundle@3
//   NODE_PATH=DIR/node_modules node sigstore_verify.js BUNDLE KEY.pub OTHER.pub
//
// Exits 77 (skipped) when the packages are not installed.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
let bundleFromJSON, toSignedEntity, toTrustMaterial, Verifier;
try {
  ({ bundleFromJSON } = require('@sigstore/bundle'));
  ({ toSignedEntity, toTrustMaterial, Verifier } = require('@sigstore/verify'));
} catch (e) {
  console.log('skipped: @sigstore/verify and @sigstore/bundle are not installed (see the header)');
  process.exit(77);
}
const [bundlePath, keyPath, otherPath] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundlePath, 'utf8')));
const root = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [],
};
function verifyWith(path) {
  const key = crypto.createPublicKey(fs.readFileSync(path));
  const trust = toTrustMaterial(root, () => ({ publicKey: key, validFor: () => true }));
  const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, tsaThreshold: 0 });
  try {
    verifier.verify(toSignedEntity(bundle));
    return true;
  } catch (e) {
    return false;
  }
}
if (!verifyWith(keyPath)) {
  console.log(`FAIL: sigstore-js does not verify ${bundlePath} with ${keyPath}`);
  process.exit(1);
}
if (otherPath && verifyWith(otherPath)) {
  console.log(`FAIL: sigstore-js verifies ${bundlePath} with the wrong key ${otherPath}`);
  process.exit(1);
}
console.log(`ok: sigstore-js verifies ${bundlePath} offline and rejects another key`);
