export const PROFILE_HELP = 'Usage: vg profile --config FILE [--out FILE.svg]';
export async function runProfile(_args: readonly string[]): Promise<number> {
  process.stderr.write('vg profile: not built yet\n');
  return 2;
}
