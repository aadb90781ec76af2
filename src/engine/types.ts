import type { MeasurementSource } from './measured.js';
import type { EvaluationContext } from './run-cache.js';
import type { Activation, Architecture, ForgetBias, InitScheme, ModelConfig, RecurrentActivation } from '../config/types.js';

/** The document's sections, as the report groups claims (Allure epics). */
export const SECTIONS = [
  'The Core Problem',
  'Gradient Flow Through Time',
  'Bounding the Gradient Norm',
  'Why γ < 1 Is the Common Case',
  'Eigenvalue Perspective',
  'Consequences',
  'Empirical Demonstration',
  'Diagnosis',
  'Mitigations',
  'Summary',
] as const;
export type Section = (typeof SECTIONS)[number];
/** Where a user's own claims are grouped in the report (Allure epic). */
export type UserSection = `User: ${string}`;

export type ClaimKind = 'theorem' | 'empirical' | 'recommendation' | 'code';
/**
 * What a region is expected to show: the claim's predicate holds on every sampled case, on
 * none, or on some and not others (a split that depends on the seed, reported as such).
 */
export type Expectation = 'holds' | 'refuted' | 'mixed' | 'budget-limited' | 'undetermined';
/**
 * What a region showed: `mixed` means the region is not homogeneous (its boundary is wrong);
 * `outside-premise` that no case met the claim's premise, so the predicate decided nothing (an
 * error in a premise region, see RegionRole); `undetermined` that the decision rule
 * (engine/decision.ts) could not decide within the region's cap of cases.
 */
export type RegionVerdict = 'holds' | 'refuted' | 'mixed' | 'numerically-broken' | 'budget-limited' | 'outside-premise' | 'undetermined';

/**
 * A training region's verdict read at one budget of the ladder (claims/training/plan.ts). A
 * region whose verdict at half the cap differs from the one at the cap is `budget-limited`: its
 * verdict says as much about the budget as about the model, so it is never a clean holds or refuted.
 */
export interface BudgetVerdict {
  readonly budget: number;
  readonly verdict: Exclude<RegionVerdict, 'budget-limited' | 'outside-premise' | 'undetermined'>;
  readonly holds: number;
  readonly fails: number;
}
/** A claim's verdict over all its regions. */
export type ClaimVerdict = 'holds' | 'refuted' | 'conditional' | 'numerically-broken' | 'untested';

/** Model configurations: fixed fields from `base`, and axes sampled from the listed choices and ranges. */
export interface ModelDomain {
  readonly kind: 'model';
  readonly base: Partial<ModelConfig>;
  readonly architectures?: readonly Architecture[];
  readonly activations?: readonly Activation[];
  readonly recurrentInits?: readonly InitScheme[];
  readonly inputInits?: readonly InitScheme[];
  readonly forgetBiases?: readonly ForgetBias[];
  readonly recurrentActivations?: readonly RecurrentActivation[];
  /** Inclusive ranges; omitted axes keep `base`'s value. */
  readonly hiddenSize?: readonly [number, number];
  /** When 'hidden', the input size equals the hidden size. */
  readonly inputSize?: readonly [number, number] | 'hidden';
  readonly seqLength?: readonly [number, number];
  /** Half-width a of U(−a, a) for the recurrent weights, sampled on a grid of 0.01 (overrides recurrentInits). */
  readonly recurrentUniform?: readonly [number, number];
  /** σ of N(0, σ²) for the recurrent weights, sampled on a grid of 0.01 (overrides recurrentInits). */
  readonly recurrentNormal?: readonly [number, number];
  /** Range of seeds (weights and inputs); defaults to [1, 10000]. */
  readonly seeds?: readonly [number, number];
}

/** Real numbers in [min, max]. */
export interface RealDomain {
  readonly kind: 'real';
  readonly min: number;
  readonly max: number;
}

/** Square matrices of size in [minSize, maxSize] built from a spectrum (see properties/arbitraries). */
export interface MatrixDomain {
  readonly kind: 'matrix';
  readonly structure: 'gaussian' | 'orthogonal' | 'diagonalizable' | 'spectralNormBelowOne';
  readonly size: readonly [number, number];
  /** For 'diagonalizable': range of eigenvalue moduli. For 'gaussian': entry std range. For 'spectralNormBelowOne': norm range. */
  readonly scale: readonly [number, number];
}

/**
 * Trained models: one model family of the training experiments on one task, at the listed lags,
 * with a fixed list of training seeds. Every seed is a case (no sampling: each one is a full
 * training run), so a region's counts say how many seeds agree.
 */
export interface TrainingDomain {
  readonly kind: 'training';
  readonly task: 'adding' | 'recall';
  /** A model family of src/experiments/models.ts ('rnn-demo', 'lstm-fb1', ...). */
  readonly model: string;
  /** One lag for a per-run predicate; every lag of the plan for effective memory. */
  readonly lags: readonly number[];
  readonly seeds: readonly number[];
  /** Adam updates, batch size, learning rate and hidden size, identical for every model at a lag. */
  readonly budget: { readonly steps: number; readonly batchSize: number; readonly learningRate: number; readonly hiddenSize: number };
}

/** One training subject: a model family, a task, its lags and one seed. */
export interface TrainingSubject {
  readonly task: TrainingDomain['task'];
  readonly model: string;
  readonly lags: readonly number[];
  readonly seed: number;
}

/** Integer seeds in [min, max], for claims about a user's own model built from a seed (see src/testing/claims.ts). */
export interface SeedDomain {
  readonly kind: 'seed';
  readonly min: number;
  readonly max: number;
}

/** One seed of a SeedDomain. */
export interface SeedSubject {
  readonly seed: number;
}

export type Domain = ModelDomain | RealDomain | MatrixDomain | TrainingDomain | SeedDomain;

/** A sampled subject of a domain. */
export interface MatrixSubject {
  readonly size: number;
  readonly seed: number;
  readonly scale: number;
}
export type SubjectOf<D extends Domain> = D extends ModelDomain
  ? ModelConfig
  : D extends RealDomain
    ? number
    : D extends TrainingDomain
      ? TrainingSubject
      : D extends SeedDomain
        ? SeedSubject
        : MatrixSubject;

/**
 * How a region enters its claim's verdict (issue 22). A *premise* region tests the claim where its
 * premise holds: its verdict is read from the cases that meet the premise (the others are counted
 * apart, never as refutations), and a premise region in which most cases miss the premise is an
 * error. A *boundary* probe explores beyond the premise (another cell, an atypical scale, float32's
 * limits): its verdict is the predicate over every case, reported and labelled, and it never
 * enters the claim's verdict. That is the one rule, for every claim alike (PREMISE_RULE).
 */
export type RegionRole = 'premise' | 'boundary';

/** The rule of {@link RegionRole} in one sentence, for the summary and the report. */
export const PREMISE_RULE =
  "A claim's verdict is read from its premise regions alone, and in each from the cases that meet its " +
  'premise (the others are counted as outside the premise, never as refutations); boundary probes ' +
  "explore beyond the premise and are reported with their own verdict, which never enters the claim's.";

/** A region of the configuration space with its expected verdict. */
export interface Region<D extends Domain = Domain> {
  /** Short stable id, unique within the claim (Allure story). */
  readonly id: string;
  readonly description: string;
  readonly domain: D;
  /** Whether the region tests the claim's premise or probes beyond it (see {@link RegionRole}). */
  readonly role: RegionRole;
  readonly expected: Expectation;
  /**
   * For a `mixed` expectation (required there, unused otherwise): the holding fraction the region
   * is expected to show, inclusive. A measured fraction outside it fails the region's spec even
   * though the verdict is still mixed, so a large change in behaviour cannot pass as "mixed".
   * Build it with `bandOf(holds, runs)` (engine/bands.ts) from a recorded run, which states the principle.
   */
  readonly band?: HoldingBand;
  /**
   * Record mode only (`vg verify --record`): the region has no stated expectation, so `expected`
   * is a placeholder, never compared; the measured verdict is accepted and listed for review in
   * <out>/partial/expectations.json. Without record mode such a region is an error.
   */
  readonly unstated?: boolean;
  /** Sampled cases (fast-check numRuns). */
  readonly runs: number;
  /** The most cases adaptive sampling may grow the region to (engine/run-region.ts); default 4 × runs. */
  readonly maxRuns?: number;
  /**
   * Known cases checked in every run before the sample (a counterexample one seed found, so every
   * seed's verdict accounts for it). Counted with the sampled cases.
   */
  readonly examples?: readonly SubjectOf<D>[];
}

/** An inclusive interval of holding fractions, [lo, hi] with 0 < lo ≤ hi < 1. */
export interface HoldingBand {
  readonly lo: number;
  readonly hi: number;
  /** Where the band comes from, in words (shown in the report). */
  readonly basis: string;
}

/** A series for the evidence plot (y as the claim's plot.yTitle names it: log10 for most claims). */
export interface EvidenceSeries {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number | null }>;
  readonly dashed?: boolean;
}

/** What a predicate measured on one subject. */
export interface Evaluation {
  /** Whether the claim's predicate holds here; null when a value was NaN or infinite. */
  readonly holds: boolean | null;
  /** The numbers behind the decision (finite numbers, strings or flags). */
  readonly numbers: Readonly<Record<string, number | string | boolean | null>>;
  /** Curves for the plot (optional). */
  readonly series?: readonly EvidenceSeries[];
  /** Where a non-finite value appeared, when holds is null. */
  readonly broken?: string;
  /** The sources of the measured series that decided this case (tfjs float32, or the float64 oracle where float32 could not represent them). */
  readonly sources?: readonly MeasurementSource[];
  /** Training cases: the predicate read at each budget of the ladder (the last is the cap, equal to `holds`). */
  readonly byBudget?: ReadonlyArray<{ readonly budget: number; readonly holds: boolean | null }>;
  /**
   * Whether the case meets the claim's premise, when the premise reads a measured quantity (the
   * run's profile vanishes, the plain cell decays). Absent: decided by the claim's `premise.of`
   * from the subject, or met (an unconditional claim).
   */
  readonly inPremise?: boolean;
}

/**
 * What a claim assumes of a case (issue 22): its statement's "if" or its scope (a vanilla cell, a
 * gradient that vanishes, a value float32 can represent). Cases that miss it are outside the
 * premise: counted and reported, never refutations.
 */
export interface Premise<S = unknown> {
  /** The premise in words; {@link UNCONDITIONAL} when the claim assumes nothing beyond its statement. */
  readonly text: string;
  /** Decides the premise from the subject alone (its cell, its x), when no measurement is needed; measured premises set `Evaluation.inPremise` instead. */
  readonly of?: (subject: S) => boolean;
}

/** The premise text of a claim that assumes nothing: every case of its regions meets it. */
export const UNCONDITIONAL = 'unconditional';

/**
 * The number a claim is judged by, declared beside its predicate (issue 26): the record ranges it
 * over the region's cases and the summary publishes it with the claimed range, so rewording the
 * predicate or reordering the numbers an evaluation reports changes nothing published. A claim
 * that declares none (a user's `modelClaim` may) falls back to the first number its evaluation
 * reports (report/region-record.ts keyNumberName), with no claimed range.
 */
export interface KeyNumberDeclaration {
  /** The key of `Evaluation.numbers` the claim is judged by, e.g. `gapDecades`. */
  readonly name: string;
  /** Its unit as it follows the value (`decades`, `updates`; '' for none): the same as report/key-words.ts gives for the name. */
  readonly unit: string;
  /** The closed range the claim states for it, when it states one (VG-DEMO-GAP: [6, 10] decades). */
  readonly claimed?: readonly [number, number];
}

/** One claim of the document, stated in the project's own words. */
export interface Claim<D extends Domain = Domain> {
  /** Stable readable id, e.g. VG-BOUND-GAMMA. */
  readonly id: string;
  readonly section: Section | UserSection;
  readonly kind: ClaimKind;
  readonly statement: string;
  /** How the predicate decides, in one sentence (with its tolerance). */
  readonly predicate: string;
  /** The number the predicate decides on, with its unit and the range the claim states (see {@link KeyNumberDeclaration}). */
  readonly keyNumber?: KeyNumberDeclaration;
  /** Where the verdict changes, in numbers (for conditional claims). */
  readonly boundary?: string;
  /** What the claim assumes of a case; cases outside it are counted apart (see {@link RegionRole}). */
  readonly premise: Premise<SubjectOf<D>>;
  /**
   * How this project reads the document's words where it reinterprets or narrows them (a quantity
   * the text does not name, a tolerance it does not give), stated plainly; published in the audit.
   */
  readonly reading?: string;
  readonly regions: readonly Region<D>[];
  /** Evaluates many subjects at once (model claims batch them through one tfjs pass per shape). */
  readonly evaluate: (subjects: readonly SubjectOf<D>[], context: EvaluationContext) => Promise<Evaluation[]>;
  /** Axis titles of the evidence plot, when evaluations carry series. */
  readonly plot?: { readonly title: string; readonly xTitle: string; readonly yTitle: string };
  /**
   * The file that states the claim, relative to the package root (`sourceOf(import.meta.url)`,
   * claims/source.ts), for links from the README's verdict table. Every registered claim has one;
   * a user's own claims may leave it out.
   */
  readonly source?: string;
}

/** A claim whose evidence needs the training experiments; listed so the registry covers the document, with no verdict yet. */
export interface PendingClaim {
  readonly id: string;
  readonly section: Section;
  readonly kind: ClaimKind;
  readonly statement: string;
  readonly pendingReason: string;
}

/** The expected verdict of a claim from its premise regions' expectations (boundary probes never enter it). */
export function expectedVerdict(claim: Pick<Claim, 'regions'>): ClaimVerdict {
  return combine(claim.regions.filter((r) => r.role === 'premise').map((r) => r.expected));
}

/** holds everywhere → holds; refuted everywhere → refuted; otherwise conditional (broken wins). */
export function combine(verdicts: readonly RegionVerdict[]): ClaimVerdict {
  if (verdicts.length === 0) return 'untested';
  if (verdicts.includes('numerically-broken')) return 'numerically-broken';
  if (verdicts.every((v) => v === 'holds')) return 'holds';
  if (verdicts.every((v) => v === 'refuted')) return 'refuted';
  return 'conditional';
}
