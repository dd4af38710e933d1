import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEpc } from '../../../src/events/epc.js';
import { isGlnUri } from '../../../src/registry/locations/gln.js';

/**
 * GS1's published EPCIS 2.0 example documents (test/conformance/epcis/, provenance in
 * its README) and what each names: the GTINs, lots and GS1 places a registry must
 * know before the document can be captured as published.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'conformance', 'epcis');

export type ExampleDocument = { file: string; folder: string; text: string };

export function exampleDocuments(): ExampleDocument[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir)
      .sort()
      .flatMap((f) => {
        const p = path.join(dir, f);
        return statSync(p).isDirectory() ? walk(p) : p.endsWith('.jsonld') ? [p] : [];
      });
  return walk(root).map((p) => {
    const file = path.relative(root, p);
    return { file, folder: path.dirname(file) === '.' ? 'JSON/' : `JSON/${path.dirname(file)}/`, text: readFileSync(p, 'utf8') };
  });
}

export type Named = { gtins: Set<string>; lots: Map<string, Set<string>>; places: Set<string> };

type Ev = Record<string, unknown>;
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const classes = (v: unknown) => (Array.isArray(v) ? v.map((q) => (q as { epcClass?: string }).epcClass).filter((s): s is string => typeof s === 'string') : []);

/** The trade items (GTIN-14 → lots) and GS1 places (SGLN, GLN Digital Link) the events name. */
export function namedInDocument(events: Ev[]): Named {
  const named: Named = { gtins: new Set(), lots: new Map(), places: new Set() };
  for (const e of events) {
    const ids = [
      ...strings(e.epcList), ...strings(e.childEPCs), ...strings(e.inputEPCList), ...strings(e.outputEPCList),
      ...(typeof e.parentID === 'string' ? [e.parentID] : []),
      ...classes(e.quantityList), ...classes(e.childQuantityList), ...classes(e.inputQuantityList), ...classes(e.outputQuantityList),
    ];
    for (const id of ids) {
      const ref = parseEpc(id);
      if (ref?.product.kind !== 'gtin') continue;
      named.gtins.add(ref.product.gtin);
      if (ref.lot) named.lots.set(ref.product.gtin, (named.lots.get(ref.product.gtin) ?? new Set()).add(ref.lot));
    }
    for (const field of ['readPoint', 'bizLocation'] as const) {
      const id = (e[field] as { id?: unknown } | undefined)?.id;
      if (typeof id === 'string' && isGlnUri(id)) named.places.add(id);
    }
  }
  return named;
}
