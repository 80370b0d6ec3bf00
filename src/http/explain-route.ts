// GET /api/v1/messages/<id>/explain: one message's timeline, each open's and click's verdict and its
// reasons, as `clickrate explain --message ID --json` prints it (the same explainMessage).
import type { ServerResponse } from 'node:http';
import { explainMessage } from '../classify/explain-message.js';
import type { Store } from '../store/store.js';
import { sendJson } from './reply.js';

/** The route's path; the id is percent-encoded (message ids hold `:` and `.`). */
export const EXPLAIN_PATH = /^\/api\/v1\/messages\/([^/]+)\/explain$/;

export async function getExplain(res: ServerResponse, store: Store, message: string): Promise<void> {
  sendJson(res, 200, await explainMessage(store, message));
}
