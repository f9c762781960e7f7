#!/usr/bin/env node
// `prestart`: compile only when dist/ is missing or older than the sources, so a restart is
// instant and an install without devDependencies (typescript) can still start a built tree.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'index.js');

function newestMtime(dir) {
  let newest = 0;
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

// The runtime layout (package.json, node_modules, dist/) has no sources: it runs what it holds.
if (!fs.existsSync(path.join(root, 'src'))) process.exit(0);
const sources = ['src', 'migrations', 'seeders'].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
const sourceTime = Math.max(...sources.map(newestMtime), fs.statSync(path.join(root, 'tsconfig.build.json')).mtimeMs);
const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
if (built >= sourceTime) process.exit(0);

let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  process.stderr.write(
    'dist/ is missing or out of date and TypeScript is not installed: run `npm install` (with devDependencies), then `npm run build`.\n',
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status === 0) {
  require('./runtime-layout').copyAssets();
  fs.utimesSync(entry, new Date(), new Date());
}
process.exit(result.status ?? 1);
