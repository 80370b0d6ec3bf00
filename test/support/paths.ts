// Where tests find the installation's own files: the command line's entry point and the package root.
import { inPackage, packageRoot } from '../../src/package-root.js';

/** The repository (or installed package) root. */
export const ROOT = packageRoot(import.meta.url);

/** bin/clickrate, as a user runs it (`node BIN …`). */
export const BIN = inPackage(import.meta.url, 'bin', 'clickrate');
