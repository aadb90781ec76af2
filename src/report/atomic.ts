import { renameSync, writeFileSync } from 'node:fs';

/** Writes a file through a temporary sibling and a rename, so readers never see half of it. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
