// Group commit for the spool: many appends share one fdatasync, run off the hot path on a short timer,
// and callers that need power-loss durability can wait for the commit that covers their record.
import { closeSync, fdatasync, fsync, openSync } from 'node:fs';
import { promisify } from 'node:util';
import { spoolError } from './spool-files.js';

const fdatasyncP = promisify(fdatasync);
const fsyncP = promisify(fsync);

/** Past this many unsynced records a commit starts at once instead of waiting for its timer. */
const GROUP_RECORDS = 1000;

export class GroupCommit {
  /** The fd appends go to; owned (closed) by this object from `setActive` on. */
  private active: number | null = null;
  /** fds of rolled segments still owed their last fsync; closed after it. */
  private retired: number[] = [];
  private dirFd: number | null;
  private dirDirty = false;
  private appendSeq = 0;
  private durableSeq = 0;
  private waiters: Array<{ seq: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  fsyncErrors = 0;

  constructor(
    private readonly dir: string,
    private readonly intervalMs: number,
  ) {
    try {
      this.dirFd = openSync(dir, 'r');
    } catch {
      this.dirFd = null; // platforms that cannot open a directory: no directory fsync
    }
  }

  /**
   * A new segment file receives the appends from now on.
   * TRICKY: the old fd is not closed here: a commit may be fsyncing it on the thread pool right now, and
   * a closed fd number can be reused by the next open, so the fsync would hit the wrong file.
   */
  setActive(fd: number): void {
    if (this.active !== null) this.retired.push(this.active);
    this.active = fd;
    this.dirDirty = true; // the new file's name must reach the disk too
  }

  /** Called after each append of `records`: arms the timer, or commits at once when many records wait. */
  noteAppend(records = 1): void {
    this.appendSeq += records;
    this.request(this.appendSeq - this.durableSeq >= GROUP_RECORDS);
  }

  /** Resolves once every record appended so far is fsynced; rejects with CR_ERR_SPOOL if fsync fails. */
  flushed(): Promise<void> {
    if (this.durableSeq >= this.appendSeq) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq: this.appendSeq, resolve, reject });
      this.request(false);
      this.timer?.ref();
    });
  }

  private request(now: boolean): void {
    if (this.running || this.closed) return; // a running commit re-arms itself if records arrived meanwhile
    if (now || this.intervalMs === 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.running = this.commit();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.running) this.running = this.commit();
    }, this.intervalMs);
    // No need to keep a process alive for a commit nobody awaits: after exit the bytes are in the page
    // cache anyway. TRICKY: a commit someone awaits (flushed) must hold the loop open, or Node exits with
    // the promise pending.
    if (this.waiters.length === 0) this.timer.unref();
  }

  /** One group commit: fdatasync every segment written since the last one, then wake the waiters. */
  private async commit(): Promise<void> {
    const target = this.appendSeq;
    const retired = this.retired;
    this.retired = [];
    const fds = this.active !== null ? [...retired, this.active] : retired;
    const dirDirty = this.dirDirty;
    this.dirDirty = false;
    let failure: unknown = null;
    try {
      await Promise.all(fds.map((fd) => fdatasyncP(fd)));
      if (dirDirty && this.dirFd !== null) await fsyncP(this.dirFd).catch(() => undefined);
    } catch (err) {
      failure = err;
      this.fsyncErrors++;
    }
    for (const fd of retired) closeSync(fd);
    const due = this.waiters.filter((w) => w.seq <= target);
    this.waiters = this.waiters.filter((w) => w.seq > target);
    if (failure === null) {
      this.durableSeq = Math.max(this.durableSeq, target);
      for (const w of due) w.resolve();
    } else {
      // TRICKY: after a failed fsync the kernel may have dropped the dirty pages; never claim durability.
      for (const w of due) w.reject(spoolError('fsync of the spool failed', { dir: this.dir }, failure));
    }
    this.running = null;
    if (failure === null && (this.appendSeq > this.durableSeq || this.retired.length > 0)) this.request(false);
  }

  /** Final commit, then closes every fd. */
  async close(): Promise<void> {
    this.closed = true; // stops re-arming
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running;
    if (this.appendSeq > this.durableSeq || this.retired.length > 0) await this.commit();
    if (this.active !== null) closeSync(this.active);
    if (this.dirFd !== null) closeSync(this.dirFd);
    this.active = null;
    this.dirFd = null;
  }
}
