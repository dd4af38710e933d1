import { translator, type Lang } from '../../i18n.js';
import { escapeHtml, pageHtml, renderFragment } from '../../templates.js';
import { certificationStatus } from '../../registry/certifications/certification-status.js';
import { verifyMessages } from './verify.messages.js';
import { verificationDetails, verificationPage } from './verify.presenter.js';
import type { Verification } from '../verify.service.js';

/** Batches × languages × certificates kept rendered (≈ 5 KB each). */
const MAX_FRAGMENTS = 5_000;
/** Distinct verdict sections kept rendered (≈ 4 KB each); a few dozen are in use. */
const MAX_SHELLS = 500;

/** The per-label and per-scan places in a page shell. */
type SlotName = 'switchHref' | 'serial' | 'scans' | 'details';
const slot = (name: SlotName) => `\uE000${name}\uE000`;
const SLOTS = /\uE000(switchHref|serial|scans|details)\uE000/;

/** A rendered page cut at its slots: parts[i] comes before slots[i]; one more part closes it. */
type Shell = { parts: Buffer[]; slots: SlotName[] };

/**
 * The verification page as bytes, built for speed: it is the page every scan opens.
 *
 * The page is rendered by its templates (views/verify/label.eta in views/layout.eta),
 * but not on every scan. What varies from scan to scan or label to label (the serial,
 * the scan count, the language switch's signed link, the batch's details) is rendered
 * as a marked slot, and the rest, a "shell", is kept per language and verdict view
 * (verdict, reason, warnings…). A scan then only escapes its slot values with the
 * templates' own escaping and joins bytes already encoded. The batch details come
 * from DetailsFragments, which re-renders them whenever their records change.
 */
export class LabelPages {
  private readonly shells = new Map<string, Shell>();
  private readonly details = new DetailsFragments();

  render(v: Verification, lang: Lang, switchHref: string): Buffer {
    const page = verificationPage(v, lang);
    const shell = this.shellFor(page, lang);
    const values: Record<SlotName, Buffer> = {
      switchHref: Buffer.from(escapeHtml(switchHref)),
      serial: Buffer.from(escapeHtml(page.presented.serial)),
      scans: Buffer.from(escapeHtml(page.scans ?? '')),
      details: this.details.bytes(v, lang) ?? EMPTY,
    };
    const chunks: Buffer[] = [];
    let length = 0;
    shell.parts.forEach((part, i) => {
      const name = shell.slots[i];
      chunks.push(part);
      length += part.length;
      if (name) {
        chunks.push(values[name]);
        length += values[name].length;
      }
    });
    return Buffer.concat(chunks, length);
  }

  private shellFor(page: ReturnType<typeof verificationPage>, lang: Lang): Shell {
    const p = page.presented;
    // Everything the shell shows apart from its slots (the printed fields only when there are no details).
    const printed = page.found ? [] : [p.lot, p.stars, p.validUntil];
    const key = [lang, page.verdict, page.explanation, page.fromCacheOnly, page.found, page.scans === null, ...printed, ...page.warnings].join('\u0002');
    let shell = this.shells.get(key);
    if (!shell) {
      const html = pageHtml('verify/label', {
        title: page.heading,
        lang,
        page: { ...page, presented: { ...p, serial: slot('serial') }, scans: page.scans === null ? null : slot('scans') },
        switchHref: slot('switchHref'),
        // Only our own labels have details; the template shows the printed fields otherwise.
        details: page.found ? slot('details') : null,
      });
      const pieces = html.split(SLOTS);
      shell = {
        parts: pieces.filter((_, i) => i % 2 === 0).map((text) => Buffer.from(text)),
        slots: pieces.filter((_, i) => i % 2 === 1) as SlotName[],
      };
      if (this.shells.size >= MAX_SHELLS) this.shells.clear();
      this.shells.set(key, shell);
    }
    return shell;
  }
}

const EMPTY = Buffer.alloc(0);

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
 * (config.cacheTtlMs), and needs no clock of its own. Least-recently-used eviction
 * keeps it bounded.
 */
class DetailsFragments {
  private readonly entries = new Map<string, Fragment>();

  constructor(private readonly maxEntries = MAX_FRAGMENTS) {}

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
      // Map keeps insertion order: re-inserting moves the key to the young end.
      this.entries.delete(key);
      this.entries.set(key, entry);
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
    this.entries.delete(key);
    this.entries.set(key, { product: f.product, producer: f.producer, batch: f.batch, certification: cert, timeline: f.timeline, certStatus, html });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return html;
  }
}
