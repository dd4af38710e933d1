import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../support/app.js';

describe('registry: administrative unit lookups', () => {
  const app = buildTestApp();

  it('when a picker asks for provinces, then it gets the 34 units of 2025, cacheable, without a key', async () => {
    const res = await request(app).get('/api/v1/admin-units/provinces').expect(200);
    expect(res.headers['cache-control']).to.contain('public');
    expect(res.body.items).to.have.length(34);
    expect(res.body.items[0]).to.deep.equal({ code: '01', name: 'Thành phố Hà Nội', type: 'thành phố trung ương', communeCount: res.body.items[0].communeCount });
    expect(res.body.items[0].communeCount).to.be.greaterThan(100);
  });

  it("when a picker asks for a province's communes with an unpadded code, then it gets them", async () => {
    const res = await request(app).get('/api/v1/admin-units/provinces/1/communes').expect(200);
    expect(res.body.province).to.deep.equal({ code: '01', name: 'Thành phố Hà Nội' });
    expect(res.body.items).to.deep.include({ code: '00577', name: 'Xã Bát Tràng', type: 'xã' });
    expect(res.headers['cache-control']).to.contain('max-age');
  });

  it('when the province does not exist, then 404 admin_unit/province_not_found', async () => {
    for (const code of ['02', '99', 'abc']) {
      const res = await request(app).get(`/api/v1/admin-units/provinces/${code}/communes`).expect(404);
      expect(res.body.error.code).to.equal('admin_unit/province_not_found');
    }
  });
});
