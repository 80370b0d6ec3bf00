// Where this installation of clickrate lives, found from any module of it: the built modules sit at
// different depths (dist/src/…), and data files (address ranges, the built dashboard) sit at the root.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClickrateError } from './errors.js';

function isClickrateRoot(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'clickrate';
  } catch {
    return false;
  }
}

/** The folder holding clickrate's package.json, walking up from `moduleUrl` (a module's import.meta.url). */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (isClickrateRoot(dir)) return dir;
    const up = dirname(dir);
    // TRICKY: a module always lives inside the package; reaching / means the files were copied out of it.
    if (up === dir) throw new ClickrateError('CR_ERR_CONFIG', `clickrate's package.json was not found above ${fileURLToPath(moduleUrl)}`);
    dir = up;
  }
}

/** A path inside the installation, e.g. inPackage(import.meta.url, 'data', 'ranges'). */
export function inPackage(moduleUrl: string, ...parts: string[]): string {
  return join(packageRoot(moduleUrl), ...parts);
}
