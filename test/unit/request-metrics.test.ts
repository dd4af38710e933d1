import { expect } from 'chai';
import { routeClassOf } from '../../src/http/request-metrics.js';

describe('request metrics: route classes', () => {
  it('when requests of every kind arrive, then each falls in one of a few classes, never its URL', () => {
    expect(routeClassOf('GET', '/01/08936045120014/10/LOT/21/ABC?s=4')).to.equal('label');
    expect(routeClassOf('GET', '/p/ABCDEFGH?x=1')).to.equal('label');
    expect(routeClassOf('GET', '/api/v1/products?limit=1')).to.equal('api_read');
    expect(routeClassOf('POST', '/api/v1/batches/x/label-runs')).to.equal('api_write');
    expect(routeClassOf('GET', '/.well-known/jwks.json')).to.equal('resolver');
    expect(routeClassOf('GET', '/static/site.css')).to.equal('static');
    expect(routeClassOf('GET', '/readyz')).to.equal('health');
    expect(routeClassOf('GET', '/')).to.equal('page');
    expect(routeClassOf('GET', '/wp-login.php')).to.equal('other');
  });
});
