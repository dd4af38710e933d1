import { expect } from 'chai';
import { derivedId, importKey, readDecisionFile, MAX_ROWS } from '../../src/office/decisions/decision-csv.js';

/** Reading a decision file as Excel writes it, and the row checks that need no database. */
describe('decision files (CSV)', () => {
  const header = 'decision_number,decision_date,authority_level,province,producer_name,producer_kind,registration_number,commune,product_name,product_group,gtin,stars,score,valid_until';
  const row = (over: Partial<Record<string, string>> = {}) => {
    const v = { decision_number: '12/QD-UBND', decision_date: '2025-03-14', authority_level: 'province', province: '1', producer_name: 'HTX Một', producer_kind: 'cooperative', registration_number: '0101 234 567', commune: '577', product_name: 'Trà xanh', product_group: 'beverage', gtin: '8938507120018', stars: '4', score: '78', valid_until: '', ...over };
    return header.split(',').map((c) => v[c as keyof typeof v] ?? '').join(',');
  };
  const read = (text: string) => readDecisionFile(Buffer.from(text, 'utf8'));
  const rowsOf = (text: string) => {
    const r = read(text);
    if (!r.ok) throw new Error(r.problem);
    return r;
  };

  it('when a file has a BOM, semicolons and Windows line ends, then it reads as the comma file does', () => {
    const comma = rowsOf(`${header}\n${row()}\n`);
    const excel = rowsOf(`\uFEFF${header.replace(/,/g, ';')}\r\n${row().replace(/,/g, ';')}\r\n`);
    expect(excel.rows[0]!.plan).to.deep.equal(comma.rows[0]!.plan);
    expect(comma.decision).to.deep.equal({ number: '12/QĐ-UBND', date: '2025-03-14', level: 'province', province: '01', authorityName: null });
    expect(comma.rows[0]!.plan?.producer).to.deep.include({ registrationNumber: '0101234567' });
  });

  it('when the file is not UTF-8, lacks a required column, has no rows or too many, then it is refused as a whole', () => {
    expect(readDecisionFile(Buffer.from([0xe0, 0x2c, 0x0a]))).to.include({ ok: false, problem: 'encoding' });
    expect(read('decision_number,stars\n1/QĐ-UBND,4\n')).to.deep.include({ ok: false, problem: 'missing_columns' });
    expect(read(`${header}\n\n`)).to.include({ ok: false, problem: 'empty' });
    expect(read(`${header}\n${`${row()}\n`.repeat(MAX_ROWS + 1)}`)).to.include({ ok: false, problem: 'too_many_rows' });
  });

  it('when rows break the rating rules, then each names its problem', () => {
    const { rows } = rowsOf([
      header,
      row({ score: '55' }),
      row({ decision_number: '13/QĐ-UBND', gtin: '' }),
      row({ valid_until: '2028-03-13', gtin: '' }),
      row({ authority_level: 'ministry', province: '', gtin: '' }),
      row({ producer_name: 'HTX Khác', gtin: '' }),
    ].join('\n'));
    const codes = rows.map((r) => r.problems.map((p) => p.code));
    expect(codes[0]).to.deep.equal(['score_mismatch']);
    expect(codes[1]).to.deep.equal(['decision_differs']);
    expect(codes[2]).to.deep.equal(['valid_until_differs']);
    expect(codes[3]).to.include('decision_differs');
    expect(codes[3]).to.include('level_mismatch');
    expect(codes[4]).to.deep.equal(['producer_differs']);
    expect(rows[2]!.problems[0]!.params).to.deep.equal({ expected: '2028-03-14' });
  });

  it('when ids are derived, then the same decision and record give the same id, and another gives another', () => {
    const key = importKey({ number: '12/QĐ-UBND', level: 'province', province: '01' });
    expect(key).to.equal('p01~12/QĐ-UBND');
    expect(derivedId(key, 'producer:0101234567')).to.match(/^[0-9a-z]{10}$/).and.equal(derivedId(key, 'producer:0101234567'));
    expect(derivedId(key, 'producer:0101234568')).not.to.equal(derivedId(key, 'producer:0101234567'));
    expect(derivedId(importKey({ number: '12/QĐ-UBND', level: 'ministry', province: null }), 'producer:0101234567')).not.to.equal(derivedId(key, 'producer:0101234567'));
  });
});
