// Whether a message that answers one of ours is a person's reply, a machine's (an auto-reply), a
// delivery status notification (a bounce) or a person asking to be left alone (an opt-out), with the
// reasons. Pure: it reads the few facts of a mail (MailFacts) the reader took from it, and keeps nothing.
import { threadSubject } from '../tracking/thread-subject.js';

/** What classification reads of a mail; the body is read here and never stored (docs/replies.md). */
export interface MailFacts {
  /** Header values by lower-case name, each header's values in order (decoded text). */
  headers: ReadonlyMap<string, readonly string[]>;
  /** The From address, lower-cased, or null. */
  from: string | null;
  subject: string;
  /** The top-level content type with its parameters, lower-cased (`multipart/report; report-type=…`). */
  contentType: string;
  /** The text of the message/delivery-status part (RFC 3464), when there is one. */
  deliveryStatus: string | null;
  /** The plain text the person wrote (quoted text and signature included: see optOutReasons). */
  text: string;
}

export type ReplyKind = 'human' | 'auto' | 'opt_out' | 'bounce' | 'delay';

export interface ReplyVerdict {
  kind: ReplyKind;
  /** Reason codes, `code` or `code:detail` (classify/reasons.ts describes them for explain). */
  reasons: string[];
  /** A bounce's status code (RFC 3463 `5.1.1`), when the DSN names one. */
  status?: string;
}

const first = (m: MailFacts, name: string): string | undefined => m.headers.get(name)?.[0]?.trim();

/** RFC 3464 §2.3.3 and §2.3.4: the per-recipient Action and Status fields of a delivery-status part. */
function dsnFields(text: string): { actions: string[]; status: string | null } {
  const actions = [...text.matchAll(/^action:\s*([a-z]+)/gim)].map((x) => (x[1] ?? '').toLowerCase());
  const status = /^status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(text)?.[1] ?? null;
  return { actions, status };
}

/**
 * A DSN: `multipart/report; report-type=delivery-status` (RFC 3462, RFC 3464), or mail from the
 * mail system itself (`MAILER-DAEMON`, `postmaster`: RFC 5321 §4.5.1 and the usual sender of Postfix's,
 * Exchange's and Gmail's notifications). TRICKY: `Action: delayed` (RFC 3464 §2.3.3) is a warning that
 * delivery is still being tried, not a bounce.
 */
function dsnVerdict(m: MailFacts): ReplyVerdict | null {
  const reasons: string[] = [];
  if (/^multipart\/report\b/.test(m.contentType) && /report-type\s*=\s*"?delivery-status/.test(m.contentType)) reasons.push('dsn-report');
  const local = m.from?.split('@')[0] ?? '';
  if (local === 'mailer-daemon' || local === 'postmaster') reasons.push(`dsn-sender:${local}`);
  if (reasons.length === 0) return null;
  const fields = m.deliveryStatus === null ? { actions: [], status: null } : dsnFields(m.deliveryStatus);
  if (fields.actions.length > 0 && fields.actions.every((a) => a !== 'failed'))
    return { kind: 'delay', reasons: [...reasons, `dsn-action:${fields.actions[0]}`] };
  // Without a delivery-status part (older mailers write prose), the first enhanced status code in the text.
  const status = fields.status ?? /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(m.text)?.[1] ?? null;
  return status === null ? { kind: 'bounce', reasons } : { kind: 'bounce', reasons: [...reasons, `dsn-status:${status}`], status };
}

/**
 * Out-of-office subjects as the common clients write them: Outlook and Exchange put "Automatic reply:"
 * (localized) before the subject, Gmail's vacation responder the subject the person chose, most often
 * "Out of office" in their language. Matched at the start, after any Re:/AW: (a few servers add one).
 */
const AUTO_SUBJECTS: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'en',
    /^(automatic reply|auto[- ]?reply|autoreply|auto response|out of (the )?office|away from (the )?office|vacation reply|on vacation|on leave)(?=$|[\s:;,.!()-])/,
  ],
  ['de', /^(automatische antwort|abwesenheitsnotiz|abwesenheit|abwesend|automatische abwesenheitsnotiz)(?=$|[\s:;,.!()-])/],
  ['fr', /^(réponse automatique|reponse automatique|absence du bureau|absent du bureau|message d'absence|absence)(?=$|[\s:;,.!()-])/],
  ['es', /^(respuesta automática|respuesta automatica|fuera de la oficina|fuera de oficina|ausente)(?=$|[\s:;,.!()-])/],
  ['it', /^(risposta automatica|fuori ufficio|fuori sede|assente)(?=$|[\s:;,.!()-])/],
  ['pt', /^(resposta automática|resposta automatica|fora do escritório|fora do escritorio|ausente)(?=$|[\s:;,.!()-])/],
  ['nl', /^(automatisch antwoord|afwezig|niet aanwezig|buiten kantoor)(?=$|[\s:;,.!()-])/],
  ['sv', /^(automatiskt svar|frånvaro|frånvarande|ej på kontoret)(?=$|[\s:;,.!()-])/],
  ['da-no', /^(automatisk svar|fraværende|ikke på kontoret|ikke til stede)(?=$|[\s:;,.!()-])/],
  ['fi', /^(automaattinen vastaus|poissa toimistolta|lomalla)(?=$|[\s:;,.!()-])/],
  ['pl', /^(odpowiedź automatyczna|automatyczna odpowiedź|poza biurem|nieobecność)(?=$|[\s:;,.!()-])/],
];

/**
 * RFC 3834 §5: `Auto-Submitted` other than `no` marks an automatic message (auto-replied, auto-generated).
 * `X-Autoreply` and `X-Autorespond` are set by older responders (vacation(1), qmail's autorespond);
 * `Precedence: bulk|junk|list|auto_reply` (RFC 3834 §3.1.8 and the responders that set it; Zammad's
 * auto_response_check.rb reads the same headers).
 */
function autoReasons(m: MailFacts): string[] {
  const reasons: string[] = [];
  const submitted = first(m, 'auto-submitted')?.toLowerCase().split(';')[0]?.trim();
  if (submitted !== undefined && submitted !== '' && submitted !== 'no') reasons.push(`auto-submitted:${submitted}`);
  if (m.headers.has('x-autoreply')) reasons.push('x-autoreply');
  if (m.headers.has('x-autorespond')) reasons.push('x-autorespond');
  const precedence = first(m, 'precedence')?.toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list' || precedence === 'auto_reply') reasons.push(`precedence:${precedence}`);
  const subject = threadSubject(m.subject.replace(/^\s*(re|aw|sv)\s*:\s*/i, ''));
  const raw = m.subject.trim().toLowerCase();
  for (const [lang, re] of AUTO_SUBJECTS) {
    if (re.test(raw) || re.test(subject)) {
      reasons.push(`ooo-subject:${lang}`);
      break;
    }
  }
  return reasons;
}

/**
 * Opt-out words, by language, as a whole short answer or a line of one. Only the person's own words
 * count: quoted lines (`>`) and everything from the quote header on ("On … wrote:", Outlook's
 * "-----Original Message-----" or "From:" block) are dropped first, since the message they answer
 * may itself say "unsubscribe" in its footer.
 */
const OPT_OUT: ReadonlyArray<readonly [string, RegExp]> = [
  [
    'en',
    /\b(unsubscribe|remove me|take me off|opt[- ]?out|stop (emailing|contacting|sending)|do not (contact|email) me|don't (contact|email) me|not interested,? (please )?remove)\b|^\s*stop\s*[.!]?\s*$/m,
  ],
  ['de', /\b(abmelden|austragen|bitte entfernen|nehmen sie mich|keine (weiteren )?e-?mails)\b/],
  ['fr', /\b(désabonner|désinscri|desinscri|retirez[- ]moi|supprimez[- ]moi|ne plus recevoir)/],
  ['es', /\b(darme de baja|dar de baja|elimíname|eliminarme|no me escriba|borrarme)\b/],
  ['it', /\b(cancellami|disiscriv|rimuovetemi|rimuovermi|non scrivetemi)/],
  ['pt', /\b(descadastr|remova[- ]me|remover meu|não quero receber)/],
  ['nl', /\b(afmelden|uitschrijven|verwijder mij|verwijder me)\b/],
  ['sv-da-no', /\b(avregistrera|avsluta prenumeration|ta bort mig|afmeld|meld meg av|fjern meg|fjern mig)\b/],
];

/** The person's own words: the text up to the first quote header, without quoted lines. */
export function ownWords(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const own: string[] = [];
  for (const line of lines) {
    // Gmail and Apple Mail: "On <date>, <name> wrote:" (localized: "Am … schrieb <name>:", "Le … a écrit :",
    // "9 nov. 2026 kl. 09:00 skrev <name>:"); Outlook: "-----Original Message-----" or a "From: …" block.
    if (line.length < 300 && /\b(wrote|schrieb|a écrit|escribió|ha scritto|schreef|skrev|escreveu|napisał)\b.*:\s*$/i.test(line)) break;
    if (
      /^\s*-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht)\s*-{2,}/i.test(line)
    )
      break;
    if (/^\s*(from|von|de|da|van|från|fra)\s*:\s*.+@/i.test(line) && own.some((l) => l.trim() !== '')) break;
    if (/^\s*>/.test(line)) continue;
    own.push(line);
  }
  return own.join('\n');
}

function optOutReasons(m: MailFacts): string[] {
  const words = ownWords(m.text).toLowerCase();
  for (const [lang, re] of OPT_OUT) if (re.test(words)) return [`opt-out:${lang}`];
  // A subject of just "unsubscribe"/"stop"/"remove" is an opt-out too (list-unsubscribe mailto habits).
  if (/^(unsubscribe|stop|remove|remove me|abmelden|désabonner)$/.test(threadSubject(m.subject))) return ['opt-out:subject'];
  return [];
}

/**
 * The verdict on one answering mail, first rule first: a DSN is a bounce (or a delay) whatever else it
 * says; a machine's answer is an auto-reply even if its text says "unsubscribe"; a person's answer is
 * an opt-out or a reply.
 */
export function classifyReply(m: MailFacts): ReplyVerdict {
  const dsn = dsnVerdict(m);
  if (dsn !== null) return dsn;
  const auto = autoReasons(m);
  if (auto.length > 0) return { kind: 'auto', reasons: auto };
  const optOut = optOutReasons(m);
  if (optOut.length > 0) return { kind: 'opt_out', reasons: optOut };
  return { kind: 'human', reasons: [] };
}
