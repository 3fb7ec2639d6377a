// Runs cel-spec's conformance tests against the rule language: exports the suite that
// @bufbuild/cel-spec ships (testdata/conformance.js, the cel-spec test files in proto3 JSON)
// to a JSON file, then runs provgate_cel_conformance on it.
//
//   npm install --prefix DIR --legacy-peer-deps @bufbuild/cel-spec@VERSION   (scripts/dev.sh)
//   NODE_PATH=DIR/node_modules node run_conformance.js RUNNER WORK_DIR [RUNNER ARGUMENTS...]
//
// Exits 77 (skipped) when the package is not installed, otherwise with the runner's code.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const [runner, workDir, ...runnerArgs] = process.argv.slice(2);
if (!runner || !workDir) {
  console.error('usage: node run_conformance.js RUNNER WORK_DIR [RUNNER ARGUMENTS...]');
  process.exit(2);
}
let tests, version;
try {
  ({ tests } = require('@bufbuild/cel-spec/testdata/conformance.js'));
  const entry = require.resolve('@bufbuild/cel-spec/testdata/conformance.js');
  // The package's own package.json is not among its exports: found above the entry point.
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    if (parsed.name === '@bufbuild/cel-spec') {
      version = parsed.version;
      break;
    }
  }
} catch (e) {
  console.log('skipped: @bufbuild/cel-spec is not installed (scripts/dev.sh test installs it)');
  process.exit(77);
}
console.log(`@bufbuild/cel-spec ${version}`);
fs.mkdirSync(workDir, { recursive: true });
const suitePath = path.join(workDir, 'conformance.json');
fs.writeFileSync(suitePath, JSON.stringify(tests));
const result = spawnSync(runner, ['--suite', suitePath, ...runnerArgs], { stdio: 'inherit' });
if (result.error) {
  console.error(`cannot run ${runner}: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status === null ? 1 : result.status);
