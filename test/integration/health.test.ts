import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../support/app.js';

describe('health and errors', () => {
  const app = buildTestApp();

  it('when the database answers, then /readyz says ready', async () => {
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body.status).to.equal('ready');
  });

  it('when a JSON client asks for an unknown API route, then it gets 404 with a stable code', async () => {
    const res = await request(app).get('/api/v1/nothing-here').expect(404);
    expect(res.body.error.code).to.equal('route/not_found');
  });

  it('when a browser asks for an unknown page, then it gets an HTML error page', async () => {
    const res = await request(app).get('/nothing-here').set('Accept', 'text/html').expect(404);
    expect(res.type).to.equal('text/html');
    expect(res.text).to.contain('route/not_found');
  });

  it('when any page is served, then a strict CSP forbids inline scripts', async () => {
    const res = await request(app).get('/').expect(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).to.contain("script-src 'self'");
    expect(csp).not.to.contain('unsafe-inline');
  });
});
