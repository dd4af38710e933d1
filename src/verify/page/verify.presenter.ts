import { BoundedMap } from '../../bounded-map.js';
import { formatDay, formatInstant } from '../../display-dates.js';
import type { Lang } from '../../i18n.js';
import { translator } from '../../i18n.js';
import { placeName } from '../../reference/admin-units.js';
import { certificationStatus, mayUseOcopMark } from '../../registry/certifications/certification-status.js';
import { isCountedUnit, quantityText, unitWord } from '../../batches/unit-words.js';
import { verifyMessages } from './verify.messages.js';
import { photoUrl } from '../../registry/products/product-photo.url.js';
import { storyOf, whyOf, type Story } from './verdict-story.js';
import type { Verification } from '../verify.service.js';
import type { Figures } from '../scans/scan-figures.js';

/**
 * The verdict in words for the page: its heading, cards and details in the page's
 * language. The facts and words the JSON answer shares (verification-json.ts) are here too.
 */

/** YYMMDD as printed (GS1 date style, 20YY) → YYYY-MM-DD. */
export const printedDate = (yymmdd: string) => `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;

export function certificationOf(v: Verification) {
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
    statusChangedAt: c.status === 'active' ? null : (c.statusChangedAt ?? null),
    statusReason: c.status === 'active' ? null : (c.statusReason ?? null),
  };
}

export const localityOf = (communeCode: string | undefined) => (communeCode ? placeName(communeCode) : null);

export function originName(v: Verification): string | null {
  const o = v.found?.batch.origin;
  if (!o) return null;
  const admin = placeName(o.communeCode);
  return o.placeName ? [o.placeName, admin].filter(Boolean).join(', ') : admin;
}

export function warningText(v: Verification, lang: Lang, code: string): string {
  const t = translators[lang];
  return t(`warning.${code}` as Parameters<typeof t>[0], {
    printed: v.presented.stars,
    certified: v.found?.certification?.stars ?? '?',
  });
}

const VERDICT_TONE = { genuine: 'ok', expired: 'warn', revoked: 'bad', forged: 'bad', unknown: 'none' } as const;

/**
 * Formatted dates and times, remembered: the same few dates appear on every scan of a
 * batch, and a label's first scan on each of its later scans.
 */
const formatted = new BoundedMap<string, string>(10_000);
function remembered(kind: 'd' | 't', d: Date | null | undefined, lang: Lang): string | null {
  if (!d) return null;
  return formatted.remember(`${kind}${lang}${d.getTime()}`, () => (kind === 'd' ? formatDay(d, lang) : formatInstant(d, lang)));
}
const formatDate = (d: Date | null | undefined, lang: Lang) => remembered('d', d, lang);
const formatTime = (d: Date | null | undefined, lang: Lang) => remembered('t', d, lang);

export const translators = { vi: translator(verifyMessages, 'vi'), en: translator(verifyMessages, 'en') };

/** Stories whose offline result can be "signature valid, but …" (a forged label never verifies offline). */
const SIGNED_BUT_NOT_GENUINE: ReadonlySet<Story> = new Set<Story>([
  'no_such_label',
  'fields_mismatch',
  'run_not_issued',
  'label_revoked',
  'label_void',
  'run_revoked',
  'certification_revoked',
  'newest_decision_revoked',
  'key_revoked',
  'certification_expired',
  'no_certification_in_force',
]);

/**
 * The per-scan part of the page's view model: every string already translated, every
 * date formatted. `why` holds the per-label values of a revocation (page-shells.ts
 * fills them in as slots).
 */
export function verificationPage(v: Verification, lang: Lang) {
  const t = translators[lang];
  const story = storyOf(v);
  const why = whyOf(v);
  const verdict = v.verdict;
  const offlineVerdict = verdict === 'forged' || verdict === 'genuine' ? null : verdict;
  return {
    t,
    verdict: v.verdict,
    tone: VERDICT_TONE[v.verdict],
    heading: t(`verdict.${v.verdict}`),
    explanation: t(`reason.${story}`),
    why: why
      ? {
          record: why.record,
          on: why.onIsDay ? formatDate(why.on, lang) : formatTime(why.on, lang),
          onLabel: t(why.onIsDay ? 'why.onDay' : 'why.on'),
          reason: why.reason,
        }
      : null,
    warnings: v.warnings.length === 0 ? v.warnings : v.warnings.map((code) => warningText(v, lang, code)),
    advice: verdict === 'genuine' ? null : t(`advice.${verdict}`),
    fromCacheOnly: v.fromCacheOnly,
    found: !!v.found,
    presented: {
      serial: v.presented.serial,
      lot: v.presented.lot,
      stars: v.presented.stars,
      validUntil: v.found ? null : formatDate(new Date(`${printedDate(v.presented.validUntil)}T00:00:00Z`), lang),
      product: v.found ? null : productCodeOf(v, lang),
    },
    /** The offline check's answer for this very label when its signature verifies, under a verdict that is not genuine. */
    offlineBut:
      offlineVerdict && SIGNED_BUT_NOT_GENUINE.has(story)
        ? {
            // A revoked key is no longer published, so the device has none to check with.
            outcome: story === 'key_revoked' ? 'no_key' : 'valid',
            but: t(`offline.but.${story}` as Parameters<typeof t>[0]),
            onPhrase: t('offline.on'),
            close: t(`offline.close.${offlineVerdict}`),
          }
        : null,
    scans: scanLine(v.found?.scans, lang),
  };
}

/** Stands for the count in scanLineAround (a private-use character: no message has it). */
const COUNT_MARK = '\uE001';

/** The scan line of a label scanned more than once, first at `firstAt`, cut around its count: `before + count + after` is scanLine's text for any count above one. */
export function scanLineAround(firstAt: Date, lang: Lang): [before: string, after: string] {
  const line = translators[lang]('scansFirst', { count: COUNT_MARK, first: formatTime(firstAt, lang)! });
  const at = line.indexOf(COUNT_MARK);
  return [line.slice(0, at), line.slice(at + COUNT_MARK.length)];
}

/** The scan line ("scanned 12 times, first at …"): the one part of a label's page that changes on every scan. */
export function scanLine(stats: Figures | null | undefined, lang: Lang): string | null {
  if (!stats) return null;
  const t = translators[lang];
  return stats.total <= 1 || !stats.firstAt ? t('scansOnlyThis') : t('scansFirst', { count: stats.total, first: formatTime(stats.firstAt, lang)! });
}

function productCodeOf(v: Verification, lang: Lang): { label: string; value: string } {
  const t = translators[lang];
  const p = v.presented.product;
  return p.kind === 'gtin' ? { label: t('gtin'), value: p.gtin } : { label: t('productCode'), value: p.productId };
}

/** The optional parts of the product summary, filled when the product or producer publishes them. */
export type ProductPhoto = { url: string; width: number; height: number };
export type ProducerContact = { phone?: string; website?: string };

/**
 * What every label of a batch shows alike under one verdict (product summary,
 * certificate, batch): the view model of views/verify/label-details.eta, null for a
 * label that is not ours. Per label values never appear here (details-fragments.ts
 * shares it between the labels of a batch).
 */
export function verificationDetails(v: Verification, lang: Lang) {
  const f = v.found;
  if (!f) return null;
  const t = translators[lang];
  const date = (d: Date | null | undefined) => formatDate(d, lang);
  const cert = certificationOf(v);
  const genuine = v.verdict === 'genuine';
  const labelOnly = v.reason === 'label_revoked' || v.reason === 'run_revoked' || v.reason === 'key_revoked';
  const product: { name: string; gtin: string | null; photo?: ProductPhoto; standards?: string[] } = {
    name: (lang === 'en' ? f.product.name?.en : null) ?? f.product.name?.vi ?? '',
    gtin: f.product.gtin ?? null,
  };
  const photo = f.product.photo;
  if (photo) product.photo = { url: photoUrl(photo.id, 'page'), width: photo.pageWidth, height: photo.pageHeight };
  if (f.product.standards && f.product.standards.length > 0) product.standards = [...f.product.standards];
  const producer: { name: string; locality: string | null; contact?: ProducerContact } | null = f.producer
    ? { name: f.producer.name, locality: localityOf(f.producer.address?.communeCode) }
    : null;
  const published = f.producer?.publicContact;
  if (producer && (published?.phone || published?.website)) {
    producer.contact = { ...(published.phone ? { phone: published.phone } : {}), ...(published.website ? { website: published.website } : {}) };
  }
  const batchExpired = !!f.batch.expiryDate && f.batch.expiryDate.getTime() < v.checkedAt.getTime();
  return {
    product,
    producer,
    rating: ratingOf(cert, genuine, t),
    certification: cert
      ? {
          decisionNumber: cert.decisionNumber,
          authority: cert.authority.name,
          decisionDate: date(cert.decisionDate),
          validUntil: date(cert.validUntil),
          status: cert.status,
          statusText: t(`status.${cert.status}`),
          // Green only when the verdict is: an active decision beside a void label is no reassurance.
          statusTone: cert.status === 'active' ? (genuine ? 'ok' : 'neutral') : cert.status,
          revokedOn: cert.status === 'revoked' ? formatTime(cert.statusChangedAt, lang) : null,
          revokedReason: cert.status === 'revoked' ? cert.statusReason : null,
          note: labelOnly && cert.status === 'active' ? t('certNote.label') : cert.status === 'expired' ? t('certNote.expired') : null,
        }
      : null,
    batch: {
      lot: f.batch.lotCode,
      quantity: typeof f.batch.quantity === 'number' && f.batch.unit ? quantityText(f.batch.quantity, f.batch.unit, lang) : null,
      productionDate: date(f.batch.productionDate),
      expiryDate: date(f.batch.expiryDate),
      expired: batchExpired ? t('pastExpiry') : null,
      origin: originName(v),
    },
  };
}

/** The stars as the verdict allows them: the mark shown valid on a genuine verdict only, otherwise struck, with words. */
function ratingOf(cert: ReturnType<typeof certificationOf>, genuine: boolean, t: (typeof translators)['vi']) {
  if (!cert) return { state: 'none' as const, mark: false, starList: [] as number[], text: t('noCertificate'), badge: null };
  const mark = cert.mayUseOcopMark;
  const starList = Array.from({ length: cert.stars }, (_, i) => i);
  if (genuine) return { state: mark ? ('valid' as const) : ('low' as const), mark, starList, text: t(mark ? 'ocopMark' : 'noMark', { stars: cert.stars }), badge: null };
  return { state: 'void' as const, mark, starList, text: t(mark ? 'markNotValid' : 'starsNotValid', { stars: cert.stars }), badge: t('notValidBadge') };
}

/** Words a step's recorded quantities in the page's language: pieces in the batch's own unit ("120 hũ", "120 jars"). */
export function amountWords(batchUnit: string | null | undefined, lang: Lang): (detail: string) => string {
  const pieces = (n: number) => (batchUnit && isCountedUnit(batchUnit) ? unitWord(batchUnit, lang, n) : unitWord('piece', lang, n));
  return (detail) =>
    detail
      .split(', ')
      .map((part) => {
        const m = /^([\d ]+) (pcs|l)$/.exec(part);
        if (!m) return part;
        const n = Number(m[1]!.replace(/ /g, ''));
        return `${m[1]} ${m[2] === 'pcs' ? pieces(n) : unitWord('l', lang, n)}`;
      })
      .join(', ');
}

/** The page's description for link previews: never a claim a label we did not issue could make. */
export function pageDescription(v: Verification, lang: Lang): string {
  const t = translators[lang];
  const f = v.found;
  if (!f) return t('meta.generic');
  const product = (lang === 'en' ? f.product.name?.en : null) ?? f.product.name?.vi ?? '';
  const stars = f.certification?.stars ?? 0;
  if (v.verdict === 'genuine') return t(mayUseOcopMark(stars) ? 'meta.genuine' : 'meta.genuineNoMark', { product, stars });
  return t('meta.notGenuine', { verdict: t(`verdict.${v.verdict}`), product });
}
