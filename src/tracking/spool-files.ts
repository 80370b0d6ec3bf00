// On-disk layout of the spool directory: segment names, torn-tail recovery, the consume checkpoint and
// the single-process lock. spool.ts holds the logic; this file holds every path and byte-level trap.
import {
  chmodSync,
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ClickrateError } from '../errors.js';

/**
 * Layout of `dir`:
 *   seg-000000000001.jsonl …  append-only segments, one JSON event per line, numbered in append order
 *   checkpoint.json           {"segment": N, "offset": X}: every segment < N is consumed, and the first X
 *                             bytes of segment N are consumed
 *   spool.lock                pid of the process that owns the spool (one appender and one drainer)
 *   dead-letter.jsonl, dead-letter.reasons.jsonl   records set aside (spool-dead-letter.ts)
 *   corrupt.jsonl             unreadable lines, from builds before the dead letters (left as they are)
 * The folder is 0700 and every file 0600: they hold recipients' addresses and agents.
 */
const SEGMENT_RE = /^seg-(\d{12})\.jsonl$/;
const CHECKPOINT_FILE = 'checkpoint.json';
const LOCK_FILE = 'spool.lock';
export const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export interface Checkpoint {
  segment: number;
  offset: number;
}

export interface SegmentInfo {
  seq: number;
  /** Bytes of complete records in the segment (after torn-tail recovery). */
  size: number;
}

export function segmentPath(dir: string, seq: number): string {
  return join(dir, `seg-${String(seq).padStart(12, '0')}.jsonl`);
}

export function spoolError(message: string, details: Record<string, unknown> = {}, cause?: unknown): ClickrateError {
  return new ClickrateError('CR_ERR_SPOOL', message, details, cause === undefined ? undefined : { cause });
}

export interface RecoveredSpool {
  /** Unconsumed segments in append order, torn tails cut off. */
  segments: SegmentInfo[];
  checkpoint: Checkpoint;
  /** The number the next new segment gets (a restarted spool never appends to an old segment). */
  nextSeq: number;
  bytesPending: number;
  tornBytes: number;
}

/**
 * Creates the spool folder owner-only, or tightens an existing one.
 * TRICKY: mkdir's mode applies only to a folder it creates, and through the umask; chmod says it exactly.
 */
export function makeOwnerOnlyDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    if ((statSync(dir).mode & 0o777) !== DIR_MODE) chmodSync(dir, DIR_MODE);
  } catch (err) {
    throw spoolError(`cannot create the spool directory ${dir} (owner-only)`, { dir }, err);
  }
}

/** Every file the spool left with a wider mode (an older build, a copy) made owner-only. */
function tightenFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isFile() && (st.mode & 0o077) !== 0) chmodSync(path, FILE_MODE);
  }
}

/** What a restart finds on disk: the state to resume draining from after a crash or a clean close. */
export function recoverSpool(dir: string): RecoveredSpool {
  tightenFiles(dir);
  const found = listAndRecoverSegments(dir);
  let cp = readCheckpoint(dir);
  // Segments before the checkpoint were consumed; a crash between checkpoint and unlink leaves them.
  for (const s of found.segments.filter((s) => s.seq < cp.segment)) unlinkSync(segmentPath(dir, s.seq));
  const segments = found.segments.filter((s) => s.seq >= cp.segment);
  const last = segments[segments.length - 1];
  const nextSeq = Math.max(last ? last.seq + 1 : 1, cp.segment + 1);
  const head = segments[0];
  if (!head || head.seq !== cp.segment) {
    // The checkpoint's segment is gone (unlinked before a lost rename): resume at the next one.
    cp = { segment: head ? head.seq : nextSeq, offset: 0 };
  } else if (cp.offset > head.size) {
    // TRICKY: records were drained from the page cache, then power loss lost them from the segment
    // (they are in the store). Clamp; new appends go to a new segment, so no offset is reused.
    cp = { segment: cp.segment, offset: head.size };
  }
  const total = segments.reduce((n, s) => n + s.size, 0);
  return { segments, checkpoint: cp, nextSeq, bytesPending: total - (head?.seq === cp.segment ? cp.offset : 0), tornBytes: found.tornBytes };
}

/** Segments in append order, each with its torn tail (if any) cut off. */
function listAndRecoverSegments(dir: string): { segments: SegmentInfo[]; tornBytes: number } {
  const seqs: number[] = [];
  for (const name of readdirSync(dir)) {
    const m = SEGMENT_RE.exec(name);
    if (m?.[1] !== undefined) seqs.push(Number(m[1]));
  }
  seqs.sort((a, b) => a - b);
  let tornBytes = 0;
  const segments = seqs.map((seq) => {
    const { size, cut } = truncateTornTail(segmentPath(dir, seq));
    tornBytes += cut;
    return { seq, size };
  });
  return { segments, tornBytes };
}

/**
 * Cuts a trailing partial line (no final newline) so it is never parsed as a record.
 * TRICKY: after kill -9 a writeSync'd line is whole (it reached the page cache before append returned);
 * a torn tail comes from power loss, a full disk, or a write interrupted mid-way, and may be NUL bytes
 * rather than text. Everything after the last '\n' is dropped: a record whose append threw or whose
 * bytes never reached the disk was never acknowledged to anyone, so nothing acknowledged is lost.
 */
function truncateTornTail(path: string): { size: number; cut: number } {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { size: 0, cut: 0 };
    const chunk = Buffer.alloc(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      const nl = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (nl >= 0) {
        const keep = start + nl + 1;
        if (keep !== size) ftruncateSync(fd, keep);
        return { size: keep, cut: size - keep };
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return { size: 0, cut: size };
  } finally {
    closeSync(fd);
  }
}

function readCheckpoint(dir: string): Checkpoint {
  let text: string;
  try {
    text = readFileSync(join(dir, CHECKPOINT_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { segment: 0, offset: 0 };
    throw spoolError(`cannot read the spool checkpoint in ${dir}`, { dir }, err);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object') {
      const { segment, offset } = v as Record<string, unknown>;
      if (Number.isSafeInteger(segment) && Number.isSafeInteger(offset) && (segment as number) >= 0 && (offset as number) >= 0) {
        return { segment: segment as number, offset: offset as number };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw spoolError(
    `the spool checkpoint ${join(dir, CHECKPOINT_FILE)} is malformed; delete it to replay every segment (the store ignores ids already stored)`,
    { dir },
  );
}

/**
 * Replaces the checkpoint atomically (write a temp file, fsync it, rename over the old one), so a crash
 * leaves either the old or the new checkpoint, never a half-written one.
 * The directory itself is not fsynced: if power loss undoes the rename, the old checkpoint replays a
 * batch the store already holds, and the store drops those ids (at-least-once, see spool.ts).
 */
export async function writeCheckpoint(dir: string, cp: Checkpoint): Promise<void> {
  const tmp = join(dir, `${CHECKPOINT_FILE}.tmp`);
  const fh = await open(tmp, 'w', FILE_MODE);
  try {
    await fh.writeFile(JSON.stringify(cp));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, CHECKPOINT_FILE));
}

// Dirs locked by this process: a second Spool.open on the same dir in one process is a bug too.
const heldHere = new Set<string>();

/** Whether a process with this id exists (EPERM: it does, as another user's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process, other than this one, that the lock file at `path` names; null for a stale lock or none. */
function lockHolder(path: string): number | null {
  let pid = NaN;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    // vanished or unreadable: treat as stale
  }
  return Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid) ? pid : null;
}

function inUse(dir: string, pid: number): ClickrateError {
  return spoolError(`the spool in ${dir} is in use by process ${pid}`, { dir, pid });
}

/**
 * Throws the CR_ERR_SPOOL acquireLock would, when another live process holds the spool in `dir` now:
 * serve asks before it opens its store, so a second server on one spool fails before touching anything.
 * Only a look: acquireLock still decides.
 */
export function assertSpoolFree(dir: string): void {
  const pid = lockHolder(join(dir, LOCK_FILE));
  if (pid !== null) throw inUse(dir, pid);
}

/**
 * Takes the spool for this process. Two appenders on one dir would interleave bytes mid-line and two
 * drainers would send every record twice, so the second opener gets CR_ERR_SPOOL.
 * TRICKY: a lock left by a kill -9 names a dead pid and is taken over. In a container the restarted
 * server often gets the same pid as the dead one (pid 1), so our own pid counts as stale unless this
 * process really holds it. Two processes racing to take over one stale lock is not guarded against:
 * run one server per spool dir.
 */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  if (heldHere.has(dir)) throw spoolError(`the spool in ${dir} is already open in this process`, { dir });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', FILE_MODE);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(dir);
      return () => {
        heldHere.delete(dir);
        try {
          unlinkSync(path);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw spoolError(`cannot lock the spool in ${dir}`, { dir }, err);
    }
    const pid = lockHolder(path);
    if (pid !== null) throw inUse(dir, pid);
    try {
      unlinkSync(path);
    } catch {
      // someone else removed it first; retry the create
    }
  }
  throw spoolError(`cannot lock the spool in ${dir}`, { dir });
}
