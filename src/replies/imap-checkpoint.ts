// Where reading an IMAP mailbox resumes: per mailbox, its UIDVALIDITY and the highest UID stored
// (RFC 3501 §2.3.1.1: a UID names the same message for as long as UIDVALIDITY is unchanged). Kept in a
// JSON file beside the store, mode 0600 (it names mail accounts), replaced whole on every save.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ClickrateError } from '../errors.js';

export interface Checkpoint {
  /** UIDVALIDITY as text: it is a 32-bit unsigned number, and imapflow hands it out as a bigint. */
  uidValidity: string;
  uid: number;
}

/** The checkpoint file of a store: beside it, as its keyring is (store/open-store.ts storeSidecarBase). */
export function imapCheckpointPath(sidecarBase: string): string {
  return `${sidecarBase}.imap-checkpoints.json`;
}

export class CheckpointFile {
  private readonly all: Record<string, Checkpoint>;

  constructor(readonly path: string) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      this.all = {};
      return;
    }
    try {
      this.all = JSON.parse(text) as Record<string, Checkpoint>;
    } catch (err) {
      throw new ClickrateError(
        'CR_ERR_CONFIG',
        `${path} is not a checkpoint file (bad JSON); move it away to read every mailbox again`,
        { path },
        { cause: err },
      );
    }
  }

  get(key: string): Checkpoint | undefined {
    const c = this.all[key];
    return c && typeof c.uidValidity === 'string' && Number.isSafeInteger(c.uid) ? c : undefined;
  }

  /** Saves one mailbox's checkpoint: written to a temporary file and renamed, so a crash leaves the old one. */
  set(key: string, c: Checkpoint): void {
    this.all[key] = c;
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.all, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
  }
}
