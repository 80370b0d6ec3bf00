// The currency revenue is shown in. Events carry amounts without one (SPEC.md `value`), so the server
// says which: CLICKRATE_CURRENCY, an ISO 4217 code, default USD (README "Dashboard").
import { ClickrateError } from '../errors.js';

const DEFAULT_CURRENCY = 'USD';

export function parseCurrency(v: string | undefined): string {
  if (v === undefined || v.trim() === '') return DEFAULT_CURRENCY;
  const code = v.trim().toUpperCase();
  let known = /^[A-Z]{3}$/.test(code);
  try {
    // Intl knows the codes it can format; a well-formed but unknown one formats as the bare code.
    if (known) new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).format(1);
  } catch {
    known = false;
  }
  if (!known)
    throw new ClickrateError('CR_ERR_CONFIG', `CLICKRATE_CURRENCY must be a three-letter ISO 4217 code such as USD or EUR; got '${v}'`, {
      field: 'CLICKRATE_CURRENCY',
    });
  return code;
}
