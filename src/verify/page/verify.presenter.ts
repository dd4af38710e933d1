import { BoundedMap } from '../../bounded-map.js';
import type { Lang } from '../../i18n.js';
import { translator } from '../../i18n.js';
import { placeName } from '../../reference/admin-units.js';
import { certificationStatus, mayUseOcopMark } from '../../registry/certifications/certification-status.js';
import { verifyMessages } from './verify.messages.js';
import type { Verification } from '../verify.service.js';

/** What a client sees: whitelisted fields, dates as ISO strings, messages in its language. */

const isoDate = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
/** YYMMDD as printed (GS1 date style, 20YY) → YYYY-MM-DD. */
const printedDate = (yymmdd: string) => `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;

function certificationOf(v: Verification) {
  const c = v.found?.certification;
  if (!c) return null;
  return {
    stars: c.stars,
    mayUseOcopMark: mayUseOcopMark(c.stars),
    decisionNumber: c.decisionNumber,
    authority: { level: c.authority?.level ?? null, name: c.authority?.name ?? null },
    decisionDate: c.decisionDate,
    validUntil: c.validUntil,
    status: certificationStatus(c, v.checkedAt),
  };
}

export function verificationJson(v: Verification, lang: Lang, links: Record<string, unknown>) {
  const t = translator(verifyMessages, lang);
  const f = v.found;
  const cert = certificationOf(v);
  return {
    verdict: v.verdict,
    reason: v.reason,
    message: t(`reason.${v.reason}`),
    warnings: v.warnings.map((code) => ({ code, message: warningText(v, lang, code) })),
    checkedAt: v.checkedAt.toISOString(),
    fromCacheOnly: v.fromCacheOnly,
    label: {
      serial: v.presented.serial,
      lot: v.presented.lot,
      printedStars: v.presented.stars,
      printedValidUntil: printedDate(v.presented.validUntil),
      kid: v.presented.kid,
      ...(f ? { status: f.label.status, issuedAt: f.label.issuedAt.toISOString() } : {}),
    },
    ...(f
      ? {
          product: { id: f.product._id, gtin: f.product.gtin ?? null, name: { vi: f.product.name?.vi ?? null, en: f.product.name?.en ?? null } },
          producer: f.producer
            ? { id: f.producer._id, name: f.producer.name, kind: f.producer.kind, locality: localityOf(f.producer.address?.communeCode) }
            : null,
          certification: cert
            ? { ...cert, decisionDate: isoDate(cert.decisionDate), validUntil: isoDate(cert.validUntil) }
            : null,
          batch: {
            lot: f.batch.lotCode,
            productionDate: isoDate(f.batch.productionDate),
            expiryDate: isoDate(f.batch.expiryDate),
            origin: { provinceCode: f.batch.origin?.provinceCode ?? null, communeCode: f.batch.origin?.communeCode ?? null, place: originName(v) },
          },
          scans: f.scans ? { count: f.scans.total, firstAt: f.scans.firstAt?.toISOString() ?? null } : null,
        }
      : {}),
    links,
  };
}

const localityOf = (communeCode: string | undefined) => (communeCode ? placeName(communeCode) : null);

function originName(v: Verification): string | null {
  const o = v.found?.batch.origin;
  if (!o) return null;
  const admin = placeName(o.communeCode);
  return o.placeName ? [o.placeName, admin].filter(Boolean).join(', ') : admin;
}

function warningText(v: Verification, lang: Lang, code: string): string {
  const t = translator(verifyMessages, lang);
  return t(`warning.${code}` as Parameters<typeof t>[0], {
    printed: v.presented.stars,
    certified: v.found?.certification?.stars ?? '?',
  });
}

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }),
};
const timeFormats: Record<Lang, Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'medium', timeStyle: 'short' }),
};

const VERDICT_TONE = { genuine: 'ok', expired: 'warn', revoked: 'bad', forged: 'bad', unknown: 'none' } as const;

/**
 * Formatted dates and times, remembered: the same few dates appear on every scan of a
 * batch, and a label's first scan on each of its later scans. Intl formatting is slow.
 */
const formatted = new BoundedMap<string, string>(10_000);
function remembered(formats: Record<Lang, Intl.DateTimeFormat>, kind: string, d: Date | null | undefined, lang: Lang): string | null {
  if (!d) return null;
  return formatted.remember(`${kind}${lang}${d.getTime()}`, () => formats[lang].format(d));
}
const formatDate = (d: Date | null | undefined, lang: Lang) => remembered(dateFormats, 'd', d, lang);
const formatTime = (d: Date, lang: Lang) => remembered(timeFormats, 't', d, lang)!;

const translators = { vi: translator(verifyMessages, 'vi'), en: translator(verifyMessages, 'en') };

/** The per-scan part of the page's view model: every string already translated, every date formatted. */
export function verificationPage(v: Verification, lang: Lang) {
  const t = translators[lang];
  const stats = v.found?.scans;
  return {
    t,
    verdict: v.verdict,
    tone: VERDICT_TONE[v.verdict],
    heading: t(`verdict.${v.verdict}`),
    explanation: t(`reason.${v.reason}`),
    warnings: v.warnings.length === 0 ? v.warnings : v.warnings.map((code) => warningText(v, lang, code)),
    fromCacheOnly: v.fromCacheOnly,
    found: !!v.found,
    presented: {
      serial: v.presented.serial,
      lot: v.presented.lot,
      stars: v.presented.stars,
      validUntil: v.found ? null : formatDate(new Date(`${printedDate(v.presented.validUntil)}T00:00:00Z`), lang),
    },
    scans: stats
      ? stats.total <= 1 || !stats.firstAt
        ? t('scansOnlyThis')
        : t('scansFirst', { count: stats.total, first: formatTime(stats.firstAt, lang) })
      : null,
  };
}

/**
 * What every label of a batch shows alike (certificate, product, batch): the view
 * model of views/verify/label-details.eta, null for a label that is not ours.
 */
export function verificationDetails(v: Verification, lang: Lang) {
  const f = v.found;
  if (!f) return null;
  const t = translators[lang];
  const date = (d: Date | null | undefined) => formatDate(d, lang);
  const cert = certificationOf(v);
  return {
    product: { name: (lang === 'en' ? f.product.name?.en : null) ?? f.product.name?.vi ?? '', gtin: f.product.gtin ?? null },
    producer: f.producer ? { name: f.producer.name, locality: localityOf(f.producer.address?.communeCode) } : null,
    certification: cert
      ? {
          stars: cert.stars,
          starList: Array.from({ length: cert.stars }, (_, i) => i),
          mark: mayUseOcopMark(cert.stars),
          starsText: t(mayUseOcopMark(cert.stars) ? 'ocopMark' : 'noMark', { stars: cert.stars }),
          decisionNumber: cert.decisionNumber,
          authority: cert.authority.name,
          decisionDate: date(cert.decisionDate),
          validUntil: date(cert.validUntil),
          status: cert.status,
          statusText: t(`status.${cert.status}`),
        }
      : null,
    batch: {
      lot: f.batch.lotCode,
      productionDate: date(f.batch.productionDate),
      expiryDate: date(f.batch.expiryDate),
      origin: originName(v),
    },
  };
}
