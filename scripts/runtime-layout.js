#!/usr/bin/env node
// The one list of what ships. The Dockerfile's build stage assembles the runtime with this
// script and its last stage copies exactly that directory; tests/runtime-layout.test.ts
// assembles the same layout in a temp dir and runs it. So the two cannot drift.
//
//   node scripts/runtime-layout.js assets [outDir]            copy the non-TypeScript files into dist/
//   node scripts/runtime-layout.js assemble <dir> [--deps=install|link]
//
// `--deps=install` (the image): `npm ci --omit=dev` from the lockfile.
// `--deps=link` (the test, offline): hard-links this checkout's node_modules, then prunes
// the dev dependencies away with `npm prune --omit=dev`.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** Files the compiled server reads at run time that tsc does not emit: copied to dist/ under the same path. */
const ASSETS = ['src/data/back4app-car-model-list.json', 'src/data/common-passwords.txt', 'src/services/auth/password-hash.worker.js'];

/** The runtime holds these (from the checkout or the build), plus the production node_modules — nothing else. */
const SHIPPED = ['package.json', 'dist'];
const RUNTIME_ENTRIES = [...SHIPPED, 'node_modules'];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

function copyAssets(outDir = path.join(ROOT, 'dist')) {
  for (const asset of ASSETS) {
    const target = path.join(outDir, asset);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(ROOT, asset), target);
  }
}

function build(outDir) {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  run(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', outDir], ROOT);
  copyAssets(outDir);
}

function installProductionDependencies(dir, mode) {
  fs.copyFileSync(path.join(ROOT, 'package-lock.json'), path.join(dir, 'package-lock.json'));
  if (mode === 'link') {
    // Hard links cost no copy; npm prune only unlinks, so the checkout's files are never written.
    run('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules')], dir);
    // The hidden lockfile is rewritten by npm: give the copy its own inode.
    const hidden = path.join(dir, 'node_modules', '.package-lock.json');
    if (fs.existsSync(hidden)) {
      fs.rmSync(hidden);
      fs.copyFileSync(path.join(ROOT, 'node_modules', '.package-lock.json'), hidden);
    }
    run('npm', ['prune', '--omit=dev', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
  } else {
    run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], dir);
    run('npm', ['cache', 'clean', '--force'], dir);
  }
  fs.rmSync(path.join(dir, 'package-lock.json'));
}

/** Builds dist/ into `dir` and adds package.json and the production dependencies. */
function assemble(dir, mode = 'install') {
  fs.mkdirSync(dir, { recursive: true });
  build(path.join(dir, 'dist'));
  for (const entry of SHIPPED.filter((e) => e !== 'dist')) fs.copyFileSync(path.join(ROOT, entry), path.join(dir, entry));
  installProductionDependencies(dir, mode);
}

module.exports = { ASSETS, SHIPPED, RUNTIME_ENTRIES, copyAssets, assemble };

if (require.main === module) {
  const [command, dir, ...flags] = process.argv.slice(2);
  const deps = (flags.find((f) => f.startsWith('--deps=')) ?? '--deps=install').slice('--deps='.length);
  if (command === 'assets') copyAssets(dir ? path.resolve(dir) : undefined);
  else if (command === 'assemble' && dir && (deps === 'install' || deps === 'link')) assemble(path.resolve(dir), deps);
  else {
    process.stderr.write('usage: runtime-layout.js assets [outDir] | assemble <dir> [--deps=install|link]\n');
    process.exit(2);
  }
}
