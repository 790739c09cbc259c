import { readFileSync } from 'node:fs';

/** The package's version, as the fleet's messages name the booth's firmware. */
export function boothVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
