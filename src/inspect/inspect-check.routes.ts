import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../config.js';
import { badRequest } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { pickLang } from '../http/language.js';
import type { Lang } from '../i18n.js';
import { parseLabelUrl } from '../labels/format/label-url.js';
import { allow } from '../policy/principal-of-request.js';
import { verificationJson } from '../verify/page/verification-json.js';
import { labelLinks } from '../verify/resolver/links.js';
import type { LabelVerifier } from '../verify/verify.service.js';

export const inspectCheckQuery = z.strictObject({
  label: z.string().trim().min(1, 'the label link read from its QR code').max(2000, 'at most 2000 characters'),
  lang: z.enum(['vi', 'en']).optional(),
});

/**
 * GET /api/v1/inspect/check?label=<label link>: an inspector's check of a label, the
 * scan page's online verdict. The same JSON as GET on the label URL with Accept:
 * application/json, but not recorded as a scan: an inspector going along a shelf is not
 * a shopper scanning a package, and counting them would raise the label's scan count
 * and its clone signals (docs/inspect-app.md §5). The label's scan figures are read as
 * they stand. Behind the session or key like the rest of the API (label URLs never read
 * a session cookie, so the page cannot be told apart from a shopper there).
 */
export function inspectCheckRouter(deps: { config: Config; verifier: LabelVerifier }): Router {
  const router = Router();
  router.get('/inspect/check', allow('inspection.create'), async (req, res) => {
    const query = parseInput(inspectCheckQuery, req.query);
    const checked = await inspectorCheck(deps, query.label, pickLang(req, query));
    if (!checked.ok) throw badRequest('label/malformed_uri', checked.reason, { problem: checked.problem });
    res.setHeader('Cache-Control', 'no-store');
    res.json(checked.json);
  });
  return router;
}

export type InspectorCheck = { ok: true; json: ReturnType<typeof verificationJson> } | { ok: false; reason: string; problem: string };

/**
 * An inspector's check of a label link: the label URL's JSON answer, never recorded as a
 * scan. The API above and the scan page's form without JavaScript (inspect.routes.ts) use it.
 */
export async function inspectorCheck(deps: { config: Config; verifier: LabelVerifier }, link: string, lang: Lang): Promise<InspectorCheck> {
  const parsed = parseLabelUrl(targetOf(link));
  if (!parsed.ok) return { ok: false, reason: parsed.reason, problem: parsed.problem };
  const verification = await deps.verifier.verify(parsed.label, null);
  const links = Object.fromEntries(Object.entries(labelLinks(deps.config.publicBaseUrl, verification)).map(([k, l]) => [k, l.href]));
  return { ok: true, json: verificationJson(verification, lang, links) };
}

/** The path and query of a label link, whatever host it names (the host is not signed); a path is taken as it is. */
function targetOf(text: string): string {
  if (text.startsWith('/')) return text;
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) ? `${url.pathname}${url.search}` : '';
  } catch {
    return '';
  }
}
