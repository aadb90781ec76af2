/**
 * The one error type for bad input anywhere in the project (configs, CLI flags, files).
 * It names the field, the value that was given and what is allowed, so a user can fix
 * the input without reading a stack trace. The CLI maps it to exit code 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Dotted path of the offending field, e.g. `recurrentInit.gain` or `--runs`. */
  readonly field: string;
  /** The value that was given (as received, before any coercion). */
  readonly value: unknown;
  /** Human-readable description of what is allowed. */
  readonly allowed: string;

  /** `cause`: the error behind this one, when bad input made other code throw (a user's loss function, say). */
  constructor(field: string, value: unknown, allowed: string, options?: { readonly cause?: unknown }) {
    super(`${field}: got ${describeValue(value)}, expected ${allowed}`, options);
    this.field = field;
    this.value = value;
    this.allowed = allowed;
  }
}

/** Renders any value for an error message without throwing (cycles, bigints, symbols). */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isNaN(value) ? 'NaN' : String(value);
  }
  // Paths are the longest strings shown, and their end is what names them: 200 characters keeps them whole.
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 197)}...` : value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol' || typeof value === 'function') return typeof value;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
