import fc from 'fast-check';

// One seed for every property in a run, from the environment, so any run replays exactly.
const seed = Number(process.env.VG_FC_SEED ?? 424242);
fc.configureGlobal({ seed });
process.env.VG_QUIET ??= '1';
