// `npm run lint` step: writes the API description (GET /api/v1/openapi.json) of the compiled server to a
// temporary folder and lints it with Redocly's CLI (recommended rules), offline: no telemetry, no update
// check, no remote references (the document has none). Needs the compiled dist/ (lint runs tsc first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The server module imports every route module, and each adds its routes to the description.
await import(join(root, 'dist/src/server/server.js'));
const { openApiDocument } = await import(join(root, 'dist/src/http/openapi.js'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const dir = mkdtempSync(join(tmpdir(), 'clickrate-openapi-lint-'));
try {
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(openApiDocument(version), null, 2));
  // operation-4xx-response is off: /healthz, /readyz and this description answer every GET (no key, no
  // parameters); every other route's 4xx answers are generated from its auth, parameters and body.
  writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\nrules:\n  operation-4xx-response: off\n');
  const r = spawnSync(
    join(root, 'node_modules/.bin/redocly'),
    ['lint', '--config', join(dir, 'redocly.yaml'), '--max-problems', '50', join(dir, 'openapi.json')],
    {
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
