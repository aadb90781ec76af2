import { BACKEND_NAMES } from '../backend/resolve.js';
import type { TrainingProfile } from '../claims/training/plan.js';

/**
 * The flags of the `vg` commands are defined once, as tables: the parser's options, the synopsis
 * and the --help text are all built from them (help.ts holds `verify`'s and `report`'s, which read
 * heavier modules; `profile`'s is here). The numeric ranges and defaults the help states are the
 * constants options.ts validates with.
 */

/** The expected verdicts --verdict selects by. */
export const VERDICTS = ['holds', 'refuted', 'conditional'] as const;
/** The ranges of the numeric flags, [min, max] inclusive. */
export const SEED_RANGE = [0, 2 ** 31 - 1] as const;
export const RUNS_RANGE = [1, 10_000] as const;
export const JOBS_RANGE = [1, 256] as const;
/** The training plan a run takes without --training: the published experiment. */
export const DEFAULT_TRAINING: TrainingProfile = 'full';

/** One flag: how it parses, how the synopsis shows it, what --help says. */
export interface FlagSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** Shown without brackets in the synopsis (the command refuses to run without it). */
  readonly required?: boolean;
  /** The value as the synopsis shows it (`ID`, `holds|refuted|conditional`); none for a boolean. */
  readonly value?: string;
  /** The value as the help's flag column shows it, when shorter than `value` (`V` for the verdicts). */
  readonly short?: string;
  readonly help: string;
}

/** parseArgs options of a flag table. */
export function parseOptions(flags: readonly FlagSpec[]): Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> {
  return Object.fromEntries(flags.map((f) => [f.name, { type: f.type, ...(f.multiple ? { multiple: true } : {}) }]));
}

/** The synopsis of a command as tokens: `vg verify`, then `[--claim ID]...` for each flag, in the table's order. */
export function synopsis(command: string, flags: readonly FlagSpec[], lead: readonly string[] = []): string[] {
  const token = (f: FlagSpec): string => `--${f.name}${f.value ? ` ${f.value}` : ''}`;
  return [`vg`, command, ...lead, ...flags.map((f) => (f.required ? token(f) : `[${token(f)}]${f.multiple ? '...' : ''}`))];
}

/** Words wrapped at `width`, every line after the first indented by `indent` spaces. */
export function wrap(words: readonly string[], first: string, indent: number, width = 94): string[] {
  const lines: string[] = [];
  let line = first;
  for (const w of words) {
    if (line.trim() !== '' && line.length + 1 + w.length > width && line.length > indent) {
      lines.push(line);
      line = `${' '.repeat(indent)}${w}`;
    } else line = line.endsWith(' ') || line === '' ? `${line}${w}` : `${line} ${w}`;
  }
  lines.push(line);
  return lines;
}

/** "Usage: vg verify [--claim ID]... …", wrapped with continuation lines under the first flag. */
export function usage(tokens: readonly string[], prefix = 'Usage: '): string[] {
  const head = `${prefix}${tokens.slice(0, 2).join(' ')} `;
  return wrap(tokens.slice(2), head, head.length);
}

/** A flag table as --help lists it: the flag and its short value in a column, the text wrapped beside it. */
export function flagLines(flags: readonly FlagSpec[]): string[] {
  const column = 19;
  return flags.flatMap((f) => {
    const head = `  --${f.name}${f.value ? ` ${f.short ?? f.value}` : ''}`;
    return head.length < column - 1 ? wrap(f.help.split(' '), head.padEnd(column), column) : [head, ...wrap(f.help.split(' '), ' '.repeat(column), column)];
  });
}

/** The flags of `vg profile`. */
export const PROFILE_FLAGS: readonly FlagSpec[] = [
  { name: 'config', type: 'string', value: 'FILE', required: true, help: 'a JSON object of ModelConfig fields (required)' },
  { name: 'out', type: 'string', value: 'FILE.svg', help: 'the plot (default ./reports/profile.svg under the current directory)' },
  { name: 'backend', type: 'string', value: BACKEND_NAMES.join('|'), short: 'NAME', help: 'force a tfjs backend (default: the first that loads)' },
];
