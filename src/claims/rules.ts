/**
 * The project's readings of the document's unquantified words, each defined once and imported
 * where a claim uses it. Each is derived from the words (and float32's arithmetic), never from a
 * measured value.
 */

/** "Negligible": 3 decades, a thousandth (defined in numerics/negligible.ts, so the experiments' profile detector reads the same constant). */
export { NEGLIGIBLE_DECADES } from '../numerics/negligible.js';

/**
 * "Negligibly small" for a gradient summed into float32 weights: 6 decades, a millionth, within a
 * few float32 spacings of the sum's own rounding (2⁻²³ ≈ 1.2·10⁻⁷ relative): what a vanished
 * contribution leaves in a float32 update. Used where the document speaks of a gradient too small
 * to matter at all (the word at position 5, the detector's runs that vanish).
 */
export const FLOAT32_NEGLIGIBLE_DECADES = 6;

/**
 * "Distant" dependencies: beyond the most recent 10–20 steps the document says a vanilla RNN
 * effectively sees (Consequences), so lags above 20. Lags up to 20 lie inside the memory the
 * document itself grants, so a claim about distant dependencies is not tested there.
 */
export const MEMORY_RANGE: readonly [number, number] = [10, 20];
export const isDistantLag = (lag: number): boolean => lag > MEMORY_RANGE[1];

/**
 * "Exponential" read off a log-scale plot: a least-squares line through log10 of the quantity
 * explains at least this share of its variance (R²). One threshold for every claim that says a
 * gradient decays exponentially (VG-CORE-EXP-SHRINK, VG-DEMO-EXP-DECAY): the conventional reading
 * of "a straight line on a log scale", stated once, not tuned to any measured value.
 */
export const EXPONENTIAL_R2 = 0.9;
