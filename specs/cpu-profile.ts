import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

// A CPU profile of every spec file, when VG_CPU_PROFILE names a directory (vitest.config.ts adds this setup file
// then): vitest stops its workers before node's --cpu-prof can write, so the inspector's profiler is driven here.
// `node tools/bench/profile-top.mjs DIR` sums the profiles by function and by source file.
const dir = resolve(process.env.VG_CPU_PROFILE ?? '');
const session = new Session();
beforeAll(async () => {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
});
afterAll(async () => {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}/${basename(expect.getState().testPath ?? 'spec')}-${process.pid}.cpuprofile`, JSON.stringify(profile));
}, 60_000);
