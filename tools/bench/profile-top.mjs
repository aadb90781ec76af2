#!/usr/bin/env node
/**
 * Sums CPU profiles (.cpuprofile, as VG_CPU_PROFILE=DIR writes them for each spec file) by function and by
 * source file: where a test run's CPU time went. Usage: node tools/bench/profile-top.mjs DIR [N]
 * (N rows per table, default 30). Self time only: a function's callees are counted where they run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, rows = '30'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node tools/bench/profile-top.mjs DIR [N]');
  process.exit(2);
}
const n = Number(rows);
const byFunction = new Map();
const bySource = new Map();
const byProfile = [];
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
const short = (url) => url.split('/').slice(-2).join('/');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id);
    total += us;
    add(byFunction, `${frame.functionName || '(anonymous)'} ${short(frame.url)}:${frame.lineNumber + 1}`, us);
    add(bySource, short(frame.url) || frame.functionName, us);
  });
  byProfile.push([file, total]);
}
const seconds = (us) => (us / 1e6).toFixed(2).padStart(8);
const table = (title, entries) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${seconds(us)} s  ${key}`);
};
const sum = byProfile.reduce((a, [, us]) => a + us, 0);
console.log(`${byProfile.length} profiles, ${seconds(sum).trim()} s sampled`);
table('by spec file', byProfile);
table('by function (self time)', byFunction);
table('by source file (self time)', bySource);
