import type { ModelConfig } from '../config/types.js';
import { ConfigError } from '../config/errors.js';
import { selectClaims } from '../engine/select.js';
import { type Claim, type Domain, expectedVerdict } from '../engine/types.js';
import type { VerifyOptions } from './options.js';

/**
 * The claims a `vg verify` run takes, selected as the spec processes select them (engine/select.ts:
 * --claim, --section, --verdict, then --config's pinning). A selection that matches no claim is
 * bad input, found before anything is created or run: a ConfigError naming every selecting flag
 * given, with what each --claim actually is, so the user sees which flag excludes it.
 */
export function checkedSelection(
  registered: readonly Claim<Domain>[],
  o: Pick<VerifyOptions, 'claims' | 'sections' | 'verdicts' | 'config'>,
  pinned: Partial<ModelConfig> | null,
): readonly Claim<Domain>[] {
  const selected = selectClaims(registered, { claims: o.claims, sections: o.sections, verdicts: o.verdicts, pinned });
  if (selected.length > 0) return selected;
  const given = [
    ...o.claims.map((c) => `--claim ${c}`),
    ...o.sections.map((s) => `--section '${s}'`),
    ...o.verdicts.map((v) => `--verdict ${v}`),
    ...(o.config ? [`--config ${o.config}`] : []),
  ];
  const flags = [...new Set(given.map((g) => g.split(' ')[0]))];
  const what = o.claims.flatMap((id) => {
    const c = registered.find((k) => k.id === id);
    return c
      ? [
          `${id} is in section "${c.section}", expected ` +
            `${expectedVerdict(c)}${c.regions.some((r) => r.domain.kind === 'model') ? '' : ', and has no region over model configurations (what --config pins)'}`,
        ]
      : [];
  });
  throw new ConfigError(
    flags.join(' '),
    given.join(' '),
    `a selection that matches at least one claim; these flags together match none${what.length ? ` (${what.join('; ')})` : ''}. Nothing was run or deleted`,
  );
}
