import { expect } from 'chai';
import { foldForSearch } from '../../src/registry/text-search.js';
import { matchRank, searchCatalogue, sortEntries, type CatalogueEntry } from '../../src/catalogue/catalogue-search.js';

/** The public registry's search rules, pure: folding, ranking, orders, paging. */
let n = 0;
function entry(vi: string, overrides: Partial<CatalogueEntry> = {}): CatalogueEntry {
  const f = foldForSearch(vi);
  const en = overrides.name?.en ? foldForSearch(overrides.name.en) : '';
  n += 1;
  return {
    id: `e${String(n).padStart(9, '0')}`,
    name: { vi, en: null },
    folded: { vi: f, en, all: `${f} ${en}`.trim() },
    group: 'food',
    groupListVersion: '2023',
    gtin: null,
    photoId: null,
    producerId: 'p000000001',
    producerName: 'HTX',
    producerKind: 'cooperative',
    provinceCode: '01',
    communeCode: '00004',
    stars: 4,
    status: 'active',
    certificateNumber: '1/QĐ-UBND',
    decisionDate: new Date('2025-01-01'),
    validUntil: new Date('2028-01-01'),
    createdAt: new Date(Date.UTC(2025, 0, n)),
    ...overrides,
  };
}

const names = (items: CatalogueEntry[]) => items.map((e) => e.name.vi);
const all = { limit: 100, offset: 0 };

describe('catalogue search (pure)', () => {
  it('when names are ranked, then exact beats prefix beats word start beats inside beats scattered words', () => {
    const q = 'bat trang';
    const words = q.split(' ');
    expect(matchRank('bat trang', q, words)).to.equal(0);
    expect(matchRank('bat trang xanh', q, words)).to.equal(1);
    expect(matchRank('gom bat trang', q, words)).to.equal(2);
    expect(matchRank('gombat trang', q, words)).to.equal(3);
    expect(matchRank('trang men bat', q, words)).to.equal(4);
    expect(matchRank('gom chu dau', q, words)).to.equal(null);
  });

  it('when a name is searched without marks, then the marked names come back exact first, and a sort by stars keeps the exact one first', () => {
    const sorted = sortEntries([
      entry('Bình gốm Bát Tràng', { stars: 5 }),
      entry('Gốm Bát Tràng', { stars: 3 }),
      entry('Gốm Bát Tràng men lam', { stars: 4 }),
      entry('Đũa tre', { stars: 5 }),
    ]);
    expect(names(searchCatalogue(sorted, { q: 'gom bat trang' }, all).items)).to.deep.equal(['Gốm Bát Tràng', 'Gốm Bát Tràng men lam', 'Bình gốm Bát Tràng']);
    expect(names(searchCatalogue(sorted, { q: 'gom bat trang', sort: 'stars' }, all).items)).to.deep.equal(['Gốm Bát Tràng', 'Bình gốm Bát Tràng', 'Gốm Bát Tràng men lam']);
    expect(names(searchCatalogue(sorted, { q: 'dua' }, all).items)).to.deep.equal(['Đũa tre']);
  });

  it('when no status is asked, then products without a current certification are left out; status none lists only them', () => {
    const sorted = sortEntries([entry('Chè xanh'), entry('Chè đen', { status: 'none', stars: null }), entry('Chè vàng', { status: 'expired' })]);
    expect(names(searchCatalogue(sorted, { q: 'che' }, all).items)).to.have.members(['Chè xanh', 'Chè vàng']);
    expect(names(searchCatalogue(sorted, { q: 'che', status: 'none' }, all).items)).to.deep.equal(['Chè đen']);
  });

  it('when paging, then the total counts every match and each page holds its slice in order', () => {
    const sorted = sortEntries(Array.from({ length: 7 }, (_, i) => entry(`Mứt sen ${i}`)));
    const first = searchCatalogue(sorted, {}, { limit: 3, offset: 0 });
    const third = searchCatalogue(sorted, {}, { limit: 3, offset: 6 });
    expect(first.page.total).to.equal(7);
    expect(names(first.items)).to.deep.equal(['Mứt sen 0', 'Mứt sen 1', 'Mứt sen 2']);
    expect(names(third.items)).to.deep.equal(['Mứt sen 6']);
  });

  it('when sorted by newest or by validity, then the most recent comes first', () => {
    const old = entry('Cũ', { validUntil: new Date('2026-01-01') });
    const recent = entry('Mới', { validUntil: new Date('2029-01-01') });
    const sorted = sortEntries([old, recent]);
    expect(names(searchCatalogue(sorted, { sort: 'newest' }, all).items)).to.deep.equal(['Mới', 'Cũ']);
    expect(names(searchCatalogue(sorted, { sort: 'valid_until' }, all).items)).to.deep.equal(['Mới', 'Cũ']);
  });
});
