import { BoundedMap } from '../../bounded-map.js';
import { layoutMessages, translator, type Lang } from '../../i18n.js';
import { renderFragment } from '../../templates.js';
import { certificationStatus } from '../../registry/certifications/certification-status.js';
import { verifyMessages } from './verify.messages.js';
import { amountWords, pageDescription, verificationDetails } from './verify.presenter.js';
import type { Verification } from '../verify.service.js';

/** Batches × languages × certificates × verdicts kept rendered (≈ 6 KB each). */
const MAX_FRAGMENTS = 5_000;

type Found = NonNullable<Verification['found']>;
/** The rendered parts a batch's labels share under one verdict, encoded. */
export type Fragments = { summary: Buffer; details: Buffer; meta: Buffer };
type Entry = {
  product: Found['product'];
  producer: Found['producer'];
  batch: Found['batch'];
  certification: Found['certification'];
  timeline: Found['timeline'];
  /** datedState() on the scan's date. */
  dated: string;
  bytes: Fragments;
};

const translators = { vi: translator(verifyMessages, 'vi'), en: translator(verifyMessages, 'en') };
const layoutTranslators = { vi: translator(layoutMessages, 'vi'), en: translator(layoutMessages, 'en') };

/** What views/verify/label-details.eta is rendered with (the page-shell test renders it the same way). */
export function detailsData(v: Verification, lang: Lang) {
  return {
    details: verificationDetails(v, lang),
    t: translators[lang],
    timeline: v.found?.timeline ?? null,
    amount: amountWords(v.found?.batch.unit, lang),
    lang,
  };
}

/** The head's description and Open Graph tags; a label we did not issue gets generic words only. */
export function pageMeta(v: Verification, lang: Lang): string {
  const t = translators[lang];
  const f = v.found;
  const product = f ? ((lang === 'en' ? f.product.name?.en : null) ?? f.product.name?.vi ?? '') : null;
  const heading = t(`verdict.${v.verdict}`);
  return renderFragment('verify/meta', {
    title: product ? `${heading}: ${product}` : heading,
    description: pageDescription(v, lang),
    siteName: layoutTranslators[lang]('appName'),
    locale: lang === 'vi' ? 'vi_VN' : 'en_GB',
  });
}

/** What the details show that changes with the day alone: a certificate expires, and a batch passes its date, without their records changing. */
export function datedState(f: Found, now: Date): string {
  const cert = f.certification;
  const expired = !!f.batch.expiryDate && f.batch.expiryDate.getTime() < now.getTime();
  return `${cert ? certificationStatus(cert, now) : ''}|${expired}`;
}

/**
 * The HTML every label of a batch shares under one verdict (product summary,
 * certificate, batch, timeline, the head's preview tags), rendered once per batch,
 * language, certificate and verdict reason instead of on every scan.
 *
 * A fragment is reused only while the verifier hands over the very same cached
 * records it was rendered from (compared by identity): when a data cache reloads a
 * record, the fragment is rendered again. So it is never staler than the data caches
 * (config.cacheTtlMs), and needs no clock of its own.
 */
export class DetailsFragments {
  private readonly entries: BoundedMap<string, Entry>;
  /** Labels that are not ours share one set of preview tags per language and verdict. */
  private readonly strangers = new BoundedMap<string, Buffer>(50);

  constructor(maxEntries = MAX_FRAGMENTS) {
    this.entries = new BoundedMap(maxEntries);
  }

  /** The head's tags for any label. */
  meta(v: Verification, lang: Lang): Buffer {
    if (v.found) return this.bytes(v, lang)!.meta;
    return this.strangers.remember(`${lang}|${v.verdict}`, () => Buffer.from(pageMeta(v, lang)));
  }

  /** The rendered details of a label that is ours, encoded; null for a forged or unknown one. */
  bytes(v: Verification, lang: Lang): Fragments | null {
    const f = v.found;
    if (!f) return null;
    const cert = f.certification;
    const dated = datedState(f, v.checkedAt);
    const key = `${lang}|${f.batch._id}|${cert?._id ?? ''}|${v.reason}`;
    const entry = this.entries.get(key);
    if (
      entry &&
      entry.batch === f.batch &&
      entry.product === f.product &&
      entry.producer === f.producer &&
      entry.certification === cert &&
      entry.timeline === f.timeline &&
      entry.dated === dated
    ) {
      return entry.bytes;
    }
    const data = detailsData(v, lang);
    const bytes = {
      summary: Buffer.from(renderFragment('verify/product-summary', data)),
      details: Buffer.from(renderFragment('verify/label-details', data)),
      meta: Buffer.from(pageMeta(v, lang)),
    };
    this.entries.set(key, { product: f.product, producer: f.producer, batch: f.batch, certification: cert, timeline: f.timeline, dated, bytes });
    return bytes;
  }
}
