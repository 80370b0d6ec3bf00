// What wrapping a message answers (`POST /api/v1/wrap`, `clickrate wrap --json`, the Nodemailer plugin's
// result), defined once as a zod schema: the type the code uses is inferred from it, and the API
// description is generated from it. Imported as a type by the wrapping code, so the plugin loads no zod.
import { z } from 'zod';
import { SKIP_REASONS } from './href.js';

const wrappedLinkSchema = z.strictObject({
  index: z.number().int().min(0).describe('Position in `links` (html part first, then text); also the link index inside the click token.'),
  part: z.enum(['html', 'text']),
  url: z.string().describe('The destination: after UTM tagging for wrappable links, as written otherwise.'),
  tracked: z.boolean(),
  reason: z.enum(SKIP_REASONS).optional().describe('Why the link was left as written (absent when tracked).'),
});

export const wrapResultSchema = z.strictObject({
  message: z.string().describe('The message id (the one given, or a new one).'),
  message_id_header: z.string().describe('The Message-ID to send the message with: replies that name it are matched to the message (docs/replies.md).'),
  html: z.string().optional(),
  text: z.string().optional(),
  links: z.array(wrappedLinkSchema),
  warnings: z.array(z.string()).describe('Deliverability warnings and links left as written, in words.'),
  honeypot: z.string().optional().describe("The honeypot link's tracked URL, when one was added (not among `links`: it is not the sender's)."),
});

export type WrappedLink = z.infer<typeof wrappedLinkSchema>;
export type WrapResult = z.infer<typeof wrapResultSchema>;
