import express, { Router } from 'express';
import type { Config } from '../../config.js';
import { AppError } from '../../errors/app-error.js';
import { pickLang } from '../../http/language.js';
import { parseLabelUrl } from '../../labels/format/label-url.js';
import { allow } from '../../policy/principal-of-request.js';
import { verificationJson } from '../page/verification-json.js';
import { labelLinks } from '../resolver/links.js';
import type { LabelVerifier } from '../verify.service.js';
import { MAX_PHOTO_BYTES, decodeLabelPhoto } from './photo-decode.service.js';

/** Any image type sharp may read: the header decides (415 when it is not an image), not the Content-Type. */
const IMAGE_BODY = express.raw({ type: ['image/*', 'application/octet-stream'], limit: MAX_PHOTO_BYTES });

/**
 * POST /api/v1/decode: a photo of a label in, the QR codes it holds out, each of our
 * labels with the verdict the resolver gives it (the same JSON as GET on the label
 * URL with Accept: application/json). Not recorded as a scan: a photo read for an
 * inspector is not a consumer scanning a package (the inspector's findings are theirs
 * to record). Any valid API key for now (accounts for inspectors come later).
 */
export function photoDecodeRouter(deps: { config: Config; verifier: LabelVerifier }): Router {
  const { verifier } = deps;
  const router = Router();
  router.post('/decode', allow('label_photo.decode'), IMAGE_BODY, async (req, res) => {
    // express.raw leaves the body alone for any other Content-Type (JSON is parsed before it).
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
      throw new AppError('decode/unsupported_image', 'Send the photo itself as the body, with Content-Type image/jpeg, image/png, image/webp or image/heic.');
    }
    const lang = pickLang(req);
    const photo = await decodeLabelPhoto(req.body, { timeLimitMs: deps.config.decodeTimeLimitMs });
    const codes = await Promise.all(
      photo.texts.map(async (text) => {
        const parsed = parseLabelUrl(targetOf(text));
        if (!parsed.ok) return { text, label: null };
        const v = await verifier.verify(parsed.label, null);
        const links = Object.fromEntries(Object.entries(labelLinks(deps.config.publicBaseUrl, v)).map(([k, l]) => [k, l.href]));
        return { text, label: verificationJson(v, lang, links) };
      }),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.json({ width: photo.width, height: photo.height, codes });
  });
  return router;
}

/** The path and query of a URL read from a code (the host is not signed: any host reads as the label); '' when it is no URL. */
function targetOf(text: string): string {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) ? `${url.pathname}${url.search}` : '';
  } catch {
    return '';
  }
}
