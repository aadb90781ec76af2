#!/usr/bin/env node
/**
 * Installs @tensorflow/tfjs-node and builds its native addon from the package's own sources
 * against the libtensorflow inside TensorFlow's Python wheel (tensorflow-cpu), for machines where
 * tfjs-node's install script cannot download libtensorflow or a prebuilt addon (no internet but
 * the npm registry and a local Python package mirror). With internet, `npm install
 * @tensorflow/tfjs-node` does all of this itself; this script is for the other case.
 *
 * - The package is installed with `npm i --no-save --ignore-scripts`: package.json and the
 *   lockfile are left as they are (checked), and `npm ci` removes it again, so run this after it.
 * - deps/include and deps/lib are staged from the wheel: the C API headers the binding includes,
 *   libtensorflow_cc.so.2 (linked as -ltensorflow) and libtensorflow_framework.so.2.
 *   deps/lib/libtensorflow.so.2.9.1, the file tfjs-node's install script looks for, points at
 *   libtensorflow_cc.so.2, so that script would not try to download libtensorflow either.
 * - The addon is built by node-pre-gyp for this Node's N-API version only, against the Node
 *   headers npm is configured with (`npm config get nodedir`), so nothing is downloaded.
 * - Idempotent: when tfjs-node already loads (built here, or installed the normal way) it says so
 *   and does nothing; otherwise it does only what is missing. Needs no root.
 *
 * The wheel is found through pip's configuration (`pip config list`: find-links directories and
 * file:// index URLs), else asked of pip (`pip download --no-deps`), else named with --wheel.
 *
 * Usage: node scripts/build-tfjs-node.mjs [--wheel FILE] [--root DIR] [--check]
 *   --check  change nothing: exit 0 when tfjs-node loads, else 1 saying how to get it (npm test starts with it).
 * Exit codes: 0 done (or nothing to do), 1 a step failed (the message says which and why).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The tfjs-node release this project's peer range and lockfile's tfjs (4.22.0) go with. */
const TFJS_NODE_VERSION = '4.22.0';
/** The TensorFlow wheel whose libtensorflow the addon links; the addon must report this version. */
const TF_DIST = 'tensorflow-cpu',
  TF_VERSION = '2.21.0';
const WHEEL_NAME = new RegExp(`^tensorflow_cpu-${TF_VERSION.replaceAll('.', '\\.')}-[^-]+-[^-]+-manylinux[^/]*_x86_64\\.whl$`);
/** What the binding includes and links (its binding.gyp and binding/*.cc), as paths inside the wheel. */
const WHEEL_MEMBERS = [
  /^tensorflow\/include\/tensorflow\/c\/.+\.h$/,
  /^tensorflow\/include\/tensorflow\/core\/platform\/ctstring[^/]*\.h$/,
  /^tensorflow\/include\/tsl\/platform\/ctstring[^/]*\.h$/,
  /^tensorflow\/include\/xla\/tsl\/c\/[^/]+\.h$/,
];
const LIBRARIES = ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'];
/** Links in deps/lib: the linker's names (-ltensorflow, -ltensorflow_framework) and install.js's marker. */
const LINKS = {
  'libtensorflow.so': 'libtensorflow_cc.so.2',
  'libtensorflow_framework.so': 'libtensorflow_framework.so.2',
  'libtensorflow.so.2.9.1': 'libtensorflow_cc.so.2',
};
const STAMP = 'vg-wheel.json';

const say = (line) => process.stdout.write(`[build-tfjs-node] ${line}\n`);
class StepError extends Error {}
const fail = (step, why) => {
  throw new StepError(`build-tfjs-node: ${step} failed: ${why}`);
};

const { values: args } = parseArgs({ options: { wheel: { type: 'string' }, root: { type: 'string' }, check: { type: 'boolean' } }, strict: true });
const root = resolve(args.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const pkgDir = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const depsDir = join(pkgDir, 'deps');

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof StepError ? error.message : (error?.stack ?? error)}\n`);
  process.exit(1);
}

function main() {
  const before = state();
  if (before.installed === TFJS_NODE_VERSION && before.loads) {
    const from = before.staged ? `deps/ staged from ${before.staged.wheel}` : "libtensorflow installed by tfjs-node's own install script";
    say(
      `nothing to do: @tensorflow/tfjs-node ${TFJS_NODE_VERSION} is installed and loads (backend ${before.loads.backend}, libtensorflow ${before.loads.libtensorflow}; ${from})`,
    );
    return;
  }
  if (args.check) {
    const what =
      before.installed === null
        ? 'is not installed'
        : before.installed !== TFJS_NODE_VERSION
          ? `is at ${before.installed}, not ${TFJS_NODE_VERSION}`
          : 'is installed but its addon does not load';
    fail(
      'checking @tensorflow/tfjs-node',
      `@tensorflow/tfjs-node ${what}, and npm test runs the engine specs and every claim on it. Without internet, build it from the TensorFlow wheel: node scripts/build-tfjs-node.mjs (again after every npm ci). With internet: npm i --no-save @tensorflow/tfjs-node@${TFJS_NODE_VERSION}`,
    );
  }
  if (process.platform !== 'linux' || process.arch !== 'x64')
    fail('checking the platform', `the wheel's libtensorflow is for Linux x86_64; this is ${process.platform} ${process.arch}`);
  const keep = before.installed === TFJS_NODE_VERSION && before.staged;
  // The wheel first: when it is missing, fail before anything in node_modules changes.
  const wheel = keep ? null : locateWheel();
  if (before.installed !== TFJS_NODE_VERSION) install(before.installed);
  const staged = keep ? before.staged : stage(wheel);
  build();
  const after = loads();
  if (!after)
    fail(
      'loading the built addon',
      `@tensorflow/tfjs-node does not load as backend "tensorflow"; run \`node scripts/build-tfjs-node.mjs\` again after \`rm -rf ${depsDir}\``,
    );
  if (after.libtensorflow !== TF_VERSION)
    fail('loading the built addon', `it reports libtensorflow ${after.libtensorflow}, ${TF_VERSION} expected (from ${staged.wheel})`);
  say(`done: @tensorflow/tfjs-node ${TFJS_NODE_VERSION} loads as backend ${after.backend}, libtensorflow ${after.libtensorflow} from ${staged.wheel}`);
}

/** What is there already: the installed version, the stamp of a complete staging, and whether the addon loads. */
function state() {
  const manifest = join(pkgDir, 'package.json');
  const installed = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : null;
  let staged = null;
  try {
    staged = JSON.parse(readFileSync(join(depsDir, STAMP), 'utf8'));
    if (LIBRARIES.some((lib) => !existsSync(join(depsDir, 'lib', lib)))) staged = null;
  } catch {
    /* not staged, or staged by something else */
  }
  return { installed, staged, loads: installed === TFJS_NODE_VERSION ? loads() : null };
}

/** Loads tfjs-node in a child process: its backend name and libtensorflow's version, or null. */
function loads() {
  const probe = `const tf = await import('@tensorflow/tfjs'); await import('@tensorflow/tfjs-node');
    if (!(await tf.setBackend('tensorflow'))) process.exit(3);
    process.stdout.write(JSON.stringify({ backend: tf.getBackend(), libtensorflow: tf.backend().binding.TF_Version }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  try {
    return run.status === 0 ? JSON.parse(run.stdout) : null;
  } catch {
    return null;
  }
}

/** The wheel: --wheel, else from pip's find-links and file:// indexes, else fetched by `pip download`. */
function locateWheel() {
  if (args.wheel) {
    if (!existsSync(args.wheel)) fail('locating the TensorFlow wheel', `--wheel ${args.wheel} does not exist`);
    say(`wheel: ${args.wheel} (--wheel)`);
    return { path: resolve(args.wheel), sha256: null, temporary: false };
  }
  const config = pipConfig();
  const looked = [];
  for (const link of config.findLinks) {
    const dir = link.startsWith('file://') ? fileURLToPath(link) : link;
    if (/^[a-z]+:\/\//.test(link)) continue;
    looked.push(`find-links ${dir}`);
    const hit = existsSync(dir) ? readdirSync(dir).find((f) => WHEEL_NAME.test(f)) : undefined;
    if (hit) return found({ path: join(dir, hit), sha256: null, temporary: false }, `pip's find-links ${dir}`);
  }
  for (const index of config.indexes.filter((u) => u.startsWith('file://'))) {
    const page = new URL(`${TF_DIST}/index.html`, index.endsWith('/') ? index : `${index}/`);
    looked.push(`index ${fileURLToPath(page)}`);
    if (!existsSync(page)) continue;
    // PEP 503: <a href="../../files/NAME.whl#sha256=HEX">NAME.whl</a>
    for (const [, href] of readFileSync(page, 'utf8').matchAll(/href="([^"]+)"/g)) {
      const url = new URL(href, page);
      const file = fileURLToPath(new URL(url.pathname, url));
      const name = file.split('/').pop();
      if (WHEEL_NAME.test(name) && existsSync(file))
        return found({ path: file, sha256: /sha256=([0-9a-f]{64})/.exec(url.hash)?.[1] ?? null, temporary: false }, `pip's index ${index}`);
    }
  }
  // Last: let pip resolve it from whatever it is configured with (a copy into a temporary folder).
  const dir = mkdtempSync(join(tmpdir(), 'vg-tf-wheel-'));
  const download = spawnSync('pip', ['download', '--no-deps', '--only-binary=:all:', '-d', dir, `${TF_DIST}==${TF_VERSION}`], { encoding: 'utf8' });
  const hit = download.status === 0 ? readdirSync(dir).find((f) => WHEEL_NAME.test(f)) : undefined;
  if (hit) return found({ path: join(dir, hit), sha256: null, temporary: true }, '`pip download`');
  rmSync(dir, { recursive: true, force: true });
  const pipSaid = download.error ? download.error.message : (download.stderr || download.stdout).trim().split('\n').slice(-2).join(' ');
  fail(
    'locating the TensorFlow wheel',
    `no ${TF_DIST} ${TF_VERSION} wheel for Linux x86_64 was found. Looked in: ${looked.join('; ') || 'nothing (pip config list names no find-links or file:// index)'}; \`pip download --no-deps ${TF_DIST}==${TF_VERSION}\` said: ${pipSaid || `exit ${download.status}`}. ` +
      `Where tfjs-node can download, install it the normal way (npm install @tensorflow/tfjs-node); else point this script at the wheel with --wheel FILE.`,
  );
}

function found(wheel, where) {
  say(`wheel: ${wheel.path} (from ${where})`);
  return wheel;
}

/** find-links and index URLs from `pip config list` (environment, global, user and site files). */
function pipConfig() {
  const run = spawnSync('pip', ['config', 'list'], { encoding: 'utf8' });
  const findLinks = [],
    indexes = [];
  for (const line of run.status === 0 ? run.stdout.split('\n') : []) {
    const m = /^[^=]*\.(find-links|extra-index-url|index-url)='(.*)'$/.exec(line.trim());
    if (!m) continue;
    (m[1] === 'find-links' ? findLinks : indexes).push(...m[2].split(/\s+/).filter(Boolean));
  }
  return { findLinks: [...new Set(findLinks)], indexes: [...new Set(indexes)] };
}

/** npm i --no-save --ignore-scripts, checking that package.json and the lockfile were left alone. */
function install(previous) {
  const guarded = ['package.json', 'package-lock.json'].map((f) => join(root, f)).filter(existsSync);
  const saved = new Map(guarded.map((f) => [f, readFileSync(f)]));
  const started = performance.now();
  const npm = spawnSync('npm', ['i', '--no-save', '-D', '--ignore-scripts', '--no-audit', '--no-fund', `@tensorflow/tfjs-node@${TFJS_NODE_VERSION}`], {
    cwd: root,
    encoding: 'utf8',
  });
  const changed = guarded.filter((f) => !readFileSync(f).equals(saved.get(f)));
  for (const f of changed) writeFileSync(f, saved.get(f));
  if (npm.status !== 0)
    fail(
      `npm i --no-save @tensorflow/tfjs-node@${TFJS_NODE_VERSION}`,
      `npm exited ${npm.status}: ${(npm.stderr || npm.stdout).trim().split('\n').slice(-5).join(' | ')}`,
    );
  if (changed.length > 0) fail(`npm i --no-save @tensorflow/tfjs-node@${TFJS_NODE_VERSION}`, `npm changed ${changed.join(', ')} (restored)`);
  say(
    `installed @tensorflow/tfjs-node@${TFJS_NODE_VERSION}${previous ? ` (was ${previous})` : ''} with npm i --no-save --ignore-scripts in ${seconds(started)}; package.json and package-lock.json unchanged`,
  );
}

/** Extracts the headers and libraries from the wheel into deps/, replacing whatever was there, stamp last. */
function stage(wheel) {
  const started = performance.now();
  if (wheel.sha256) {
    const sha = sha256(wheel.path);
    if (sha !== wheel.sha256) fail('checking the wheel', `${wheel.path} has sha256 ${sha}, its index says ${wheel.sha256}`);
  }
  const work = mkdtempSync(join(pkgDir, '.deps-staging-'));
  try {
    const names = extract(wheel.path, work);
    const include = join(work, 'deps', 'include'),
      lib = join(work, 'deps', 'lib');
    mkdirSync(lib, { recursive: true });
    renameSync(join(work, 'tensorflow', 'include'), include);
    for (const name of LIBRARIES) renameSync(join(work, 'tensorflow', name), join(lib, name));
    for (const [link, target] of Object.entries(LINKS)) symlinkSync(target, join(lib, link));
    const stamp = {
      wheel: wheel.path.split('/').pop(),
      sha256: wheel.sha256,
      tensorflow: TF_VERSION,
      headers: names.length - LIBRARIES.length,
      libraries: LIBRARIES,
    };
    writeFileSync(join(work, 'deps', STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
    rmSync(depsDir, { recursive: true, force: true });
    renameSync(join(work, 'deps'), depsDir);
    say(
      `staged deps/ from the wheel in ${seconds(started)}: ${stamp.headers} headers, ${LIBRARIES.join(' and ')}, links ${Object.entries(LINKS)
        .map(([l, t]) => `${l} -> ${t}`)
        .join(', ')}`,
    );
    return stamp;
  } finally {
    rmSync(work, { recursive: true, force: true });
    if (wheel.temporary) rmSync(dirname(wheel.path), { recursive: true, force: true });
  }
}

/** The wheel's members that the binding needs, extracted with Python's zipfile (pip implies Python). */
function extract(wheelPath, into) {
  const members = JSON.stringify(WHEEL_MEMBERS.map((r) => r.source));
  const script = `import json, re, sys, zipfile
pats = [re.compile(p) for p in json.loads(sys.argv[3])]
libs = set(json.loads(sys.argv[4]))
z = zipfile.ZipFile(sys.argv[1])
names = [n for n in z.namelist() if any(p.match(n) for p in pats) or n in libs]
for n in names: z.extract(n, sys.argv[2])
print(json.dumps(names))`;
  const python = spawnSync('python3', ['-c', script, wheelPath, into, members, JSON.stringify(LIBRARIES.map((l) => `tensorflow/${l}`))], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (python.status !== 0)
    fail('extracting the wheel', `python3 zipfile exited ${python.status ?? python.error?.message}: ${python.stderr.trim().split('\n').slice(-2).join(' ')}`);
  const names = JSON.parse(python.stdout);
  const missing = LIBRARIES.filter((l) => !names.includes(`tensorflow/${l}`));
  if (missing.length > 0 || names.length === LIBRARIES.length)
    fail('extracting the wheel', `${wheelPath} lacks ${missing.length ? missing.join(', ') : 'the C API headers'}`);
  return names;
}

/** node-pre-gyp install --build-from-source, for this Node's N-API version, against npm's nodedir. */
function build() {
  const started = performance.now();
  const nodedir = nodeHeaders();
  const preGyp = createRequire(join(pkgDir, 'package.json')).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
  const run = spawnSync(process.execPath, [preGyp, 'install', '--build-from-source', `--nodedir=${nodedir}`], { cwd: pkgDir, encoding: 'utf8' });
  if (run.status !== 0)
    fail(
      'building the addon (node-pre-gyp install --build-from-source)',
      `exit ${run.status}:\n${(run.stdout + run.stderr).trim().split('\n').slice(-15).join('\n')}`,
    );
  const built = [...run.stdout.matchAll(/COPY (\/\S+tfjs_binding\.node)/g)].pop()?.[1] ?? 'tfjs_binding.node';
  say(`built the addon from source in ${seconds(started)} for this Node's N-API (${process.versions.napi}), with Node's headers from ${nodedir}: ${built}`);
}

/** Node's headers without a download: npm's configured nodedir, else the prefix of this node. */
function nodeHeaders() {
  let configured = '';
  try {
    configured = execFileSync('npm', ['config', 'get', 'nodedir'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    /* npm without that key */
  }
  const candidates = [configured, dirname(dirname(process.execPath))].filter((d) => d && d !== 'undefined' && d !== 'null');
  const dir = candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
  if (!dir)
    fail(
      "finding Node's headers",
      `neither npm's nodedir (${configured || 'unset'}) nor ${dirname(dirname(process.execPath))} holds include/node/node_api.h, and node-gyp would download them`,
    );
  return dir;
}

/** SHA-256 of a file, read in 8 MB chunks (the wheel is 274 MB). */
function sha256(path) {
  const hash = createHash('sha256'),
    chunk = Buffer.alloc(8 << 20),
    fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, chunk, 0, chunk.length, null); n > 0; n = readSync(fd, chunk, 0, chunk.length, null)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function seconds(started) {
  return `${((performance.now() - started) / 1000).toFixed(1)} s`;
}
