import type { Lang } from '../../i18n.js';
import { whyOf, storyOf } from './verdict-story.js';
import { certificationOf, localityOf, originName, printedDate, translators, warningText } from './verify.presenter.js';
import type { Verification } from '../verify.service.js';

/**
 * The verdict as JSON (a label URL asked with Accept: application/json, the inspector's
 * check, a decoded photo): whitelisted fields, dates as ISO strings, messages in the
 * client's language. The page (verify.presenter.ts) says the same in words.
 */

const isoDate = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
const isoTime = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function verificationJson(v: Verification, lang: Lang, links: Record<string, unknown>) {
  const t = translators[lang];
  const f = v.found;
  const cert = certificationOf(v);
  const why = whyOf(v);
  return {
    verdict: v.verdict,
    reason: v.reason,
    message: t(`reason.${storyOf(v)}`),
    warnings: v.warnings.map((code) => ({ code, message: warningText(v, lang, code) })),
    checkedAt: v.checkedAt.toISOString(),
    fromCacheOnly: v.fromCacheOnly,
    ...(why ? { why: { record: why.record, at: why.onIsDay ? isoDate(why.on) : isoTime(why.on), reason: why.reason } } : {}),
    label: {
      serial: v.presented.serial,
      lot: v.presented.lot,
      printedStars: v.presented.stars,
      printedValidUntil: printedDate(v.presented.validUntil),
      kid: v.presented.kid,
      ...(f
        ? {
            status: f.label.status,
            issuedAt: f.label.issuedAt.toISOString(),
            statusChangedAt: isoTime(f.label.statusChangedAt),
            statusReason: f.label.statusReason ?? null,
          }
        : {}),
    },
    ...(f
      ? {
          run: f.run ? { state: f.run.state, revokedAt: isoTime(f.run.revokedAt), revokedReason: f.run.revokedReason ?? null } : null,
          product: { id: f.product._id, gtin: f.product.gtin ?? null, name: { vi: f.product.name?.vi ?? null, en: f.product.name?.en ?? null } },
          producer: f.producer
            ? { id: f.producer._id, name: f.producer.name, kind: f.producer.kind, locality: localityOf(f.producer.address?.communeCode) }
            : null,
          certification: cert
            ? { ...cert, decisionDate: isoDate(cert.decisionDate), validUntil: isoDate(cert.validUntil), statusChangedAt: isoTime(cert.statusChangedAt) }
            : null,
          batch: {
            lot: f.batch.lotCode,
            productionDate: isoDate(f.batch.productionDate),
            expiryDate: isoDate(f.batch.expiryDate),
            quantity: f.batch.quantity,
            unit: f.batch.unit,
            origin: { provinceCode: f.batch.origin?.provinceCode ?? null, communeCode: f.batch.origin?.communeCode ?? null, place: originName(v) },
          },
          scans: f.scans ? { count: f.scans.total, firstAt: f.scans.firstAt?.toISOString() ?? null } : null,
        }
      : {}),
    links,
  };
}
