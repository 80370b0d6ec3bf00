// A real IMAP server for tests: Debian's Dovecot (dovecot-imapd), started in the foreground on a free
// loopback port over a temporary Maildir, with a throwaway password file. Every path it writes (its
// base_dir, state, log, mail) is in the temporary folder. Run as root, Dovecot's login processes must
// not be root: they run as the package's `dovenull` and the mail as its `dovecot` user, which then owns
// the mail folders; otherwise everything runs as the current user.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { after, before } from 'node:test';
import { freePort } from '../../src/store/clickhouse/local-server.js';
import { waitFor } from './wait-for.js';

const DOVECOT = '/usr/sbin/dovecot';

export interface LocalDovecot {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `imap://USER:PASS@127.0.0.1:PORT/MAILBOX` (plain IMAP: loopback only). */
  url(mailbox?: string, withPassword?: boolean): string;
  /** Delivers a message into a mailbox (IMAP APPEND), as a mail server would. */
  append(raw: Buffer | string, mailbox?: string): Promise<void>;
  /** The flags of every message in a mailbox, by UID (without \Recent, which belongs to a session). */
  flags(mailbox?: string): Promise<Map<number, string[]>>;
  stop(): Promise<void>;
}

function idOf(name: string, flag: '-u' | '-g'): number {
  const r = spawnSync('id', [flag, name], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dovecot test support: no user '${name}' (install dovecot-imapd)`);
  return Number(r.stdout.trim());
}

async function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('data', (d) => {
      s.destroy();
      resolve(d.toString().startsWith('* OK'));
    });
    s.once('error', () => resolve(false));
  });
}

async function startLocalDovecot(): Promise<LocalDovecot> {
  if (!existsSync(DOVECOT)) throw new Error(`${DOVECOT} is missing: apt-get install dovecot-imapd`);
  const dir = mkdtempSync(join(tmpdir(), 'clickrate-dovecot-'));
  // Dovecot's login processes must reach base_dir: the folder is opened up (it holds no secret worth more
  // than the throwaway password below).
  chmodSync(dir, 0o755);
  for (const d of ['run', 'state', 'mail', 'home']) mkdirSync(join(dir, d));
  const root = process.getuid?.() === 0;
  const me = userInfo();
  const mailUid = root ? idOf('dovecot', '-u') : me.uid;
  const mailGid = root ? idOf('dovecot', '-g') : me.gid;
  if (root) for (const d of ['mail', 'home']) chownSync(join(dir, d), mailUid, mailGid);
  const group = spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();
  const user = 'sam';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = ${root ? 'dovecot' : me.username}
default_internal_group = ${root ? 'dovecot' : group}
default_login_user = ${root ? 'dovenull' : me.username}
first_valid_uid = ${Math.min(mailUid, 1)}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service pop3-login {
  chroot =
}
service anvil {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => (existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : '');
  await waitFor(`dovecot on 127.0.0.1:${port} (stderr: ${stderr}; log: ${log()})`, () => child.exitCode === null && greets(port), { tries: 200 });

  const imap = async <T>(fn: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.logout();
    }
  };
  return {
    port,
    user,
    password,
    url: (mailbox = 'INBOX', withPassword = true) => `imap://${user}${withPassword ? `:${password}` : ''}@127.0.0.1:${port}/${mailbox}`,
    append: async (raw, mailbox = 'INBOX') => {
      await imap(async (c) => {
        if (mailbox !== 'INBOX') await c.mailboxCreate(mailbox).catch(() => undefined);
        await c.append(mailbox, raw);
      });
    },
    flags: (mailbox = 'INBOX') =>
      imap(async (c) => {
        const out = new Map<number, string[]>();
        const lock = await c.getMailboxLock(mailbox, { readOnly: true });
        try {
          if (c.mailbox !== false && c.mailbox.exists > 0)
            for await (const m of c.fetch('1:*', { uid: true, flags: true })) out.set(m.uid, [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort());
        } finally {
          lock.release();
        }
        return out;
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One Dovecot for a whole test file, started before its first test and stopped after its last. */
export function useLocalDovecot(): { readonly server: LocalDovecot } {
  let server: LocalDovecot | undefined;
  before(async () => {
    server = await startLocalDovecot();
  });
  after(async () => {
    await server?.stop();
  });
  return {
    get server(): LocalDovecot {
      if (!server) throw new Error('the test Dovecot is read before the file started it');
      return server;
    },
  };
}
