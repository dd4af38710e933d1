import { BoundedMap } from '../../bounded-map.js';
import { translator, type Lang } from '../../i18n.js';
import { renderFragment } from '../../templates.js';
import { certificationStatus } from '../../registry/certifications/certification-status.js';
import { verifyMessages } from './verify.messages.js';
import { verificationDetails } from './verify.presenter.js';
import type { Verification } from '../verify.service.js';

/** Batches × languages × certificates kept rendered (≈ 5 KB each). */
const MAX_FRAGMENTS = 5_000;

type Found = NonNullable<Verification['found']>;
type Fragment = {
  product: Found['product'];
  producer: Found['producer'];
  batch: Found['batch'];
  certification: Found['certification'];
  timeline: Found['timeline'];
  /** Computed for the scan's date: a certificate expires without its record changing. */
  certStatus: string | null;
  html: Buffer;
};

const translators = { vi: translator(verifyMessages, 'vi'), en: translator(verifyMessages, 'en') };

/**
 * The HTML every label of a batch shares (certificate, product, batch, timeline),
 * rendered once per batch, language and certificate instead of on every scan.
 *
 * A fragment is reused only while the verifier hands over the very same cached
 * records it was rendered from (compared by identity): when a data cache reloads a
 * record, the fragment is rendered again. So it is never staler than the data caches
 * (config.cacheTtlMs), and needs no clock of its own.
 */
export class DetailsFragments {
  private readonly entries: BoundedMap<string, Fragment>;

  constructor(maxEntries = MAX_FRAGMENTS) {
    this.entries = new BoundedMap(maxEntries);
  }

  /** The rendered details of a label that is ours, encoded; null for a forged or unknown one. */
  bytes(v: Verification, lang: Lang): Buffer | null {
    const f = v.found;
    if (!f) return null;
    const cert = f.certification;
    const certStatus = cert ? certificationStatus(cert, v.checkedAt) : null;
    const key = `${lang}|${f.batch._id}|${cert?._id ?? ''}`;
    const entry = this.entries.get(key);
    if (
      entry &&
      entry.batch === f.batch &&
      entry.product === f.product &&
      entry.producer === f.producer &&
      entry.certification === cert &&
      entry.timeline === f.timeline &&
      entry.certStatus === certStatus
    ) {
      return entry.html;
    }
    const html = Buffer.from(
      renderFragment('verify/label-details', {
        details: verificationDetails(v, lang),
        t: translators[lang],
        timeline: f.timeline,
        lang,
      }),
    );
    this.entries.set(key, { product: f.product, producer: f.producer, batch: f.batch, certification: cert, timeline: f.timeline, certStatus, html });
    return html;
  }
}
