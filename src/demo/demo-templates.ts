// The demo's email templates as they were "sent" (before wrapping): one per campaign, step and variant,
// linking exactly the URLs the simulator clicks (taken from demoSpecs), so the click map lines up.
import type { TemplateRecord } from '../store/store.js';
import { demoSpecs } from './demo-dataset.js';

export type DemoTemplate = Omit<TemplateRecord, 'saved_at'>;

function frame(preheader: string, body: string, footer = 'Example Outdoor Co. · 1 Market St · Springfield'): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${preheader}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:Helvetica,Arial,sans-serif;color:#1f2937">
<div style="display:none;max-height:0;overflow:hidden">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px">
${body}
<tr><td style="padding:20px 32px;font-size:12px;color:#6b7280;border-top:1px solid #e5e7eb">${footer}<br>You receive this because you signed up. <a href="https://example.com/unsubscribe" style="color:#6b7280">Unsubscribe</a></td></tr>
</table></td></tr></table></body></html>`;
}

const button = (href: string, label: string, color = '#d9480f'): string =>
  `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:8px 0 20px"><tr><td style="background:${color};border-radius:6px"><a href="${href}" style="display:inline-block;padding:12px 28px;color:#ffffff;font-weight:bold;text-decoration:none">${label}</a></td></tr></table>`;

function springSale(links: readonly string[], variant: 'A' | 'B'): string {
  const [sale, shoe, outdoor, lookbook] = links;
  const headline = variant === 'A' ? 'Spring Sale: up to 40% off' : 'Your trail season starts now — 40% off';
  return frame(
    headline,
    `<tr><td style="padding:28px 32px 8px"><p style="margin:0;font-size:13px;letter-spacing:1px;color:#d9480f;font-weight:bold">SPRING SALE</p>
<h1 style="margin:8px 0 12px;font-size:28px;line-height:1.2">${headline}</h1>
<p style="margin:0 0 8px;font-size:16px;line-height:1.5">Fresh gear for longer days: shoes, packs and layers, this week only.</p>
${button(sale!, 'Shop the sale')}</td></tr>
<tr><td style="padding:0 32px 16px"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
<td width="50%" style="padding:8px;vertical-align:top"><p style="margin:0 0 4px;font-weight:bold">Trail Runner 3</p><p style="margin:0 0 8px;font-size:14px;color:#4b5563">Grippy, light, now €89.</p><a href="${shoe}" style="color:#d9480f;font-weight:bold">See the shoe →</a></td>
<td width="50%" style="padding:8px;vertical-align:top"><p style="margin:0 0 4px;font-weight:bold">Outdoor essentials</p><p style="margin:0 0 8px;font-size:14px;color:#4b5563">Packs, bottles, headlamps.</p><a href="${outdoor}" style="color:#d9480f;font-weight:bold">Browse outdoor →</a></td>
</tr></table></td></tr>
<tr><td style="padding:0 32px 24px;font-size:14px">Need ideas? <a href="${lookbook}" style="color:#1d4ed8">Read the spring lookbook</a>.</td></tr>`,
  );
}

function digest(links: readonly string[]): string {
  const titles = [
    'Why CTOR beats open rate',
    'Apple Mail Privacy Protection, two years on',
    'What changed this month',
    'Webinar: measuring clicks honestly (March)',
    'We are hiring',
    'Invite a friend, get a month free',
  ];
  const items = links
    .map(
      (href, i) =>
        `<tr><td style="padding:${i === 0 ? '24px' : '12px'} 32px 0"><a href="${href}" style="font-size:${i < 2 ? 18 : 15}px;font-weight:bold;color:#1d4ed8;text-decoration:none">${titles[i] ?? href}</a>${i < 2 ? '<p style="margin:4px 0 0;font-size:14px;color:#4b5563;line-height:1.5">Five minutes that will change how you read your reports.</p>' : ''}</td></tr>`,
    )
    .join('\n');
  return frame(
    'This week: CTOR, Apple MPP and a webinar',
    `<tr><td style="padding:28px 32px 0"><h1 style="margin:0;font-size:24px">The weekly digest</h1></td></tr>\n${items}\n<tr><td style="padding:24px"></td></tr>`,
    'Example Blog · weekly',
  );
}

function outreach(step: number, links: readonly string[]): string {
  const p = (t: string) => `<p style="margin:0 0 14px;font-size:15px;line-height:1.55">${t}</p>`;
  const bodies: Record<number, string> = {
    1:
      p('Hi {{first_name}},') +
      p('Saw that {{company}} is hiring for lifecycle marketing. Teams like yours often find their click reports inflated by security scanners.') +
      p('Worth a 15-minute chat?'),
    2:
      p('Hi {{first_name}}, following up.') +
      p(`Globex cut their "clicks" by 60% once scanners were filtered, and found which emails really worked: <a href="${links[0]}">the Globex case study</a>.`),
    3:
      p('Hi {{first_name}},') +
      p(`Two things that might help: <a href="${links[0]}">a 10-minute demo</a> and <a href="${links[1]}">our pricing</a>. Happy to answer anything.`),
    4:
      p('Hi {{first_name}}, last note from me.') +
      p(`If measuring clicks honestly is on your list this quarter, <a href="${links[0]}">grab 20 minutes here</a>. If not, no worries.`),
  };
  return `<!doctype html><html><body style="font-family:Arial,sans-serif;color:#111827;max-width:560px;padding:16px">${bodies[step] ?? ''}${p('— Sam, Example Inc.')}</body></html>`;
}

function onboarding(links: readonly string[]): string {
  const [start, docs] = links;
  return frame(
    'Welcome! Three steps to your first report',
    `<tr><td style="padding:28px 32px 8px"><h1 style="margin:0 0 12px;font-size:26px">Welcome aboard 👋</h1>
<p style="margin:0 0 8px;font-size:16px;line-height:1.5">Three steps and you will see your first honest click-through rate.</p>
<ol style="font-size:15px;line-height:1.7;padding-left:20px"><li>Connect your sending domain</li><li>Send a test campaign</li><li>Read the report</li></ol>
${button(start!, 'Get started', '#1d4ed8')}
<p style="margin:0 0 24px;font-size:14px">Prefer reading first? <a href="${docs}" style="color:#1d4ed8">The quickstart</a> takes five minutes.</p></td></tr>`,
    'Example App',
  );
}

/** The demo's templates, keyed as the store keeps them (step and variant null where the campaign has none). */
export function demoTemplates(): DemoTemplate[] {
  const specs = demoSpecs(0).email;
  const spec = (id: string) => specs.find((s) => s.id === id);
  const out: DemoTemplate[] = [];
  const sale = spec('spring-sale')?.links ?? [];
  for (const v of ['A', 'B'] as const) out.push({ campaign: 'spring-sale', step: null, variant: v, html: springSale(sale, v) });
  out.push({ campaign: 'weekly-digest', step: null, variant: null, html: digest(spec('weekly-digest')?.links ?? []) });
  for (const s of spec('outreach-q4')?.steps ?? []) out.push({ campaign: 'outreach-q4', step: s.step, variant: null, html: outreach(s.step, s.links) });
  out.push({ campaign: 'onboarding', step: null, variant: null, html: onboarding(spec('onboarding')?.links ?? []) });
  return out;
}
