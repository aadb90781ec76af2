/**
 * The benchmark's statistics: medians of timings and the least-squares line of time against
 * sequence length. They are the project's one implementation (numerics/stats.ts), with its
 * documented edge cases; runBench checks that the scaling lengths hold two distinct values
 * before it fits.
 */
export { type LinearFit, linearFit, median } from '../../src/numerics/stats.js';
