import { BoundedMap } from '../../bounded-map.js';
import type { Lang } from '../../i18n.js';
import { escapeHtml, pageHtml } from '../../templates.js';
import { DetailsFragments, datedState } from './details-fragments.js';
import { scanLine, scanLineAround, verificationPage } from './verify.presenter.js';
import type { Verification } from '../verify.service.js';

/** Distinct verdict sections kept rendered (≈ 4 KB each); a few dozen are in use. */
const MAX_SHELLS = 500;
/** Labels scanned lately, kept as whole pages but for their scan line (≈ 9 KB each: 18 MB at most). */
const MAX_LABEL_PAGES = 2_000;

type PageModel = ReturnType<typeof verificationPage>;

/**
 * The fields of the view model that differ from label to label or scan to scan. They
 * are rendered as marks and filled in per scan; everything else in the view model is
 * the shell's key. A field missing here is therefore only keyed (more shells), never
 * carried from one label's page to another's.
 */
const SLOT_VALUES = {
  serial: (p: PageModel) => p.presented.serial,
  lot: (p: PageModel) => p.presented.lot,
  stars: (p: PageModel) => p.presented.stars,
  validUntil: (p: PageModel) => p.presented.validUntil,
  productCode: (p: PageModel) => p.presented.product?.value ?? null,
  scans: (p: PageModel) => p.scans,
  whyRecord: (p: PageModel) => p.why?.record ?? null,
  whyOn: (p: PageModel) => p.why?.on ?? null,
  whyReason: (p: PageModel) => p.why?.reason ?? null,
} satisfies Record<string, (p: PageModel) => string | number | null>;

/** Per-request links the route hands over. */
export type PageLinks = { switchHref: string; reportHref: string };

/** Filled in by the page itself rather than from the view model. */
type SlotName = keyof typeof SLOT_VALUES | keyof PageLinks | 'summary' | 'details' | 'meta';
const mark = (name: SlotName) => `\uE000${name}\uE000`;
const MARKS = /\uE000(\w+)\uE000/;
/** A slot whose value is null stays null: the template may test for it, so that is keyed. */
const markUnlessNull = <T>(value: T | null, name: SlotName) => (value === null ? null : mark(name));

/** The view model with its slots marked: what the shell is rendered from, and (but its translator) keyed by. */
function shellModel(page: PageModel) {
  return {
    ...page,
    presented: {
      ...page.presented,
      serial: mark('serial'),
      lot: mark('lot'),
      stars: mark('stars'),
      validUntil: markUnlessNull(page.presented.validUntil, 'validUntil'),
      product: page.presented.product ? { ...page.presented.product, value: mark('productCode') } : null,
    },
    why: page.why
      ? {
          ...page.why,
          record: markUnlessNull(page.why.record, 'whyRecord'),
          on: markUnlessNull(page.why.on, 'whyOn'),
          reason: markUnlessNull(page.why.reason, 'whyReason'),
        }
      : null,
    scans: markUnlessNull(page.scans, 'scans'),
  };
}

/**
 * The shell's key: the marked view model, serialised, and the language. The
 * translator `t` is a function, which JSON leaves out; it is the language's, so the
 * language stands for it.
 */
function shellKey(model: ReturnType<typeof shellModel>, lang: Lang): string {
  return `${lang}${JSON.stringify(model)}`;
}

/** A rendered page cut at its slots: parts[i] comes before slots[i]; one more part closes it. */
type Shell = { parts: Buffer[]; slots: SlotName[] };

/**
 * The verification page as bytes, built for speed: it is the page every scan opens.
 *
 * The page is rendered by its templates (views/verify/label.eta in views/layout.eta),
 * but not on every scan. What varies from scan to scan or label to label (the printed
 * fields, the scan count, when and why the label was voided or revoked, the language
 * and report links, the batch's summary and details, the head's preview tags) is
 * rendered as a marked slot, and the rest, a "shell", is kept per language and
 * everything else in the view model. A scan then only escapes its slot values with
 * the templates' own escaping and joins bytes already encoded. The batch's parts come
 * from DetailsFragments, which re-renders them whenever their records change. A
 * label scanned again soon (a shopper reloading, a shelf of the same batch, a copied
 * label under a flood) costs less still: its page is kept whole but for the scan line.
 */
export class LabelPages {
  private readonly shells = new BoundedMap<string, Shell>(MAX_SHELLS);
  private readonly details = new DetailsFragments();
  private readonly labelPages = new BoundedMap<string, LabelPage>(MAX_LABEL_PAGES);

  /**
   * A label of ours scanned again reuses its page as last rendered, with a new scan line,
   * while the page's inputs are the same (inputsOf). The key is the label as presented
   * and the language: switchHref holds both (the signed URL and the other language), and
   * reportHref is made from the same URL. The route hands over the same string for every
   * scan of a URL, so the key's hash is computed once.
   */
  render(v: Verification, lang: Lang, links: PageLinks): Buffer {
    const parts = this.renderParts(v, lang, links);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /**
   * The same page in parts, to be written one after another (views.ts sendHtml): a label
   * scanned again costs no copy of its page into a new buffer of its own.
   */
  renderParts(v: Verification, lang: Lang, links: PageLinks): Buffer[] {
    if (!v.found) return [this.assemble(v, lang, links).page];
    const key = links.switchHref;
    const inputs = inputsOf(v);
    const kept = this.labelPages.get(key);
    if (kept && sameInputs(kept.inputs, inputs)) {
      const scans = v.found.scans;
      // Scanned before: only the count is new (the words around it are kept per first scan).
      if (scans && scans.total > 1 && scans.firstAt) return [kept.head, ...this.lineAround(kept, scans.firstAt, lang, scans.total), kept.tail];
      const line = scanLine(scans, lang);
      return line === null ? [kept.head] : [kept.head, Buffer.from(escapeHtml(line)), kept.tail];
    }
    const { page, head, tail } = this.assemble(v, lang, links);
    this.labelPages.set(key, { inputs, head, tail, line: null });
    return [page];
  }

  /** The scan line's bytes for `count` scans, the first at `firstAt` (escaping is per character, so each side is escaped alone). */
  private lineAround(kept: LabelPage, firstAt: Date, lang: Lang, count: number): [Buffer, Buffer, Buffer] {
    let line = kept.line;
    if (line?.firstAt !== firstAt.getTime()) {
      const [before, after] = scanLineAround(firstAt, lang);
      line = kept.line = { firstAt: firstAt.getTime(), before: Buffer.from(escapeHtml(before)), after: Buffer.from(escapeHtml(after)) };
    }
    return [line.before, Buffer.from(String(count)), line.after];
  }

  /** The page from its shell and slots; `head` and `tail` are the bytes before and after the scan line (all of it, none when there is none). */
  private assemble(v: Verification, lang: Lang, links: PageLinks): { page: Buffer; head: Buffer; tail: Buffer } {
    const page = verificationPage(v, lang);
    const shell = this.shellFor(page, lang);
    const chunks: Buffer[] = [];
    let length = 0;
    let scansAt = -1;
    shell.parts.forEach((part, i) => {
      chunks.push(part);
      length += part.length;
      const name = shell.slots[i];
      if (name === undefined) return;
      const value = this.slotValue(name, page, v, lang, links);
      if (name === 'scans') scansAt = chunks.length;
      chunks.push(value);
      length += value.length;
    });
    const bytes = Buffer.concat(chunks, length);
    if (scansAt < 0) return { page: bytes, head: bytes, tail: EMPTY };
    return { page: bytes, head: Buffer.concat(chunks.slice(0, scansAt)), tail: Buffer.concat(chunks.slice(scansAt + 1)) };
  }

  private slotValue(name: SlotName, page: PageModel, v: Verification, lang: Lang, links: PageLinks): Buffer {
    if (name === 'details' || name === 'summary') return this.details.bytes(v, lang)?.[name] ?? EMPTY;
    if (name === 'meta') return this.details.meta(v, lang);
    const value = name === 'switchHref' || name === 'reportHref' ? links[name] : SLOT_VALUES[name](page);
    return value === null ? EMPTY : Buffer.from(escapeHtml(String(value)));
  }

  private shellFor(page: PageModel, lang: Lang): Shell {
    const model = shellModel(page);
    const key = shellKey(model, lang);
    let shell = this.shells.get(key);
    if (!shell) {
      assertKeyable(model);
      const html = pageHtml('verify/label', {
        title: model.heading,
        lang,
        page: model,
        switchHref: mark('switchHref'),
        reportHref: mark('reportHref'),
        meta: mark('meta'),
        // Only our own labels have details; the template shows the printed fields otherwise.
        summary: model.found ? mark('summary') : null,
        details: model.found ? mark('details') : null,
      });
      const pieces = html.split(MARKS);
      shell = {
        parts: pieces.filter((_, i) => i % 2 === 0).map((text) => Buffer.from(text)),
        slots: pieces.filter((_, i) => i % 2 === 1) as SlotName[],
      };
      this.shells.set(key, shell);
    }
    return shell;
  }
}

const EMPTY = Buffer.alloc(0);

/** A label's page as last rendered, cut around its scan line, and that line's words around its count (lineAround). */
type LabelPage = { inputs: readonly unknown[]; head: Buffer; tail: Buffer; line: { firstAt: number; before: Buffer; after: Buffer } | null };

/**
 * Everything a label's page is rendered from but the scan count, compared value by
 * value: records by identity (the verifier's caches hand over the same object until
 * they reload it, as DetailsFragments relies on), the per-label values of a void or
 * revocation as values, and what the day alone changes. Whether there is a scan line
 * at all is an input; its words are not.
 */
function inputsOf(v: Verification): unknown[] {
  const f = v.found!;
  return [
    v.verdict,
    v.reason,
    v.warnings.join(' '),
    v.fromCacheOnly,
    f.label.status,
    f.label.issuedAt.getTime(),
    f.label.statusChangedAt?.getTime(),
    f.label.statusReason,
    f.run?.state,
    f.run?.revokedAt?.getTime(),
    f.run?.revokedReason,
    f.keyRevokedAt?.getTime(),
    f.product,
    f.producer,
    f.batch,
    f.certification,
    f.labelCertification,
    f.timeline,
    f.scans === null,
    datedState(f, v.checkedAt),
  ];
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The key is the view model serialised, and JSON drops functions and undefined: a
 * view-model field of that kind would be left out of the key, so it is refused.
 */
function assertKeyable(model: ReturnType<typeof shellModel>): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'function' || value === undefined) throw new TypeError(`verification page: ${path} cannot be part of the shell key (a ${typeof value})`);
    if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  const { t: _translator, ...rest } = model;
  walk(rest, 'page');
}
