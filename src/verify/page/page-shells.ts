import { BoundedMap } from '../../bounded-map.js';
import type { Lang } from '../../i18n.js';
import { escapeHtml, pageHtml } from '../../templates.js';
import { DetailsFragments } from './details-fragments.js';
import { verificationPage } from './verify.presenter.js';
import type { Verification } from '../verify.service.js';

/** Distinct verdict sections kept rendered (≈ 4 KB each); a few dozen are in use. */
const MAX_SHELLS = 500;

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
 * from DetailsFragments, which re-renders them whenever their records change.
 */
export class LabelPages {
  private readonly shells = new BoundedMap<string, Shell>(MAX_SHELLS);
  private readonly details = new DetailsFragments();

  render(v: Verification, lang: Lang, links: PageLinks): Buffer {
    const page = verificationPage(v, lang);
    const shell = this.shellFor(page, lang);
    const chunks: Buffer[] = [];
    let length = 0;
    shell.parts.forEach((part, i) => {
      chunks.push(part);
      length += part.length;
      const name = shell.slots[i];
      if (name === undefined) return;
      const value = this.slotValue(name, page, v, lang, links);
      chunks.push(value);
      length += value.length;
    });
    return Buffer.concat(chunks, length);
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
