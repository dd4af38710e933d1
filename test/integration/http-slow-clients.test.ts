import net from 'node:net';
import { expect } from 'chai';
import { testDatabaseUri } from '../hooks.js';
import { startBuiltService, type Service } from '../support/service.js';

/**
 * A client that opens a connection and sends its request headers slowly, or never
 * finishes them, must not hold the connection: the compiled service (what npm start
 * runs) cuts it off with 408. Without a limit Node keeps it for five minutes, far past
 * this test's own timeout, which is what makes the test fail then.
 */
describe('the service and slow clients', function () {
  this.timeout(40_000);
  let service: Service;

  before(async () => {
    service = await startBuiltService(testDatabaseUri());
  });

  after(async () => {
    await service?.stop();
  });

  it('when a client never finishes its request headers, then the service answers 408 and closes the connection', async () => {
    const socket = net.connect(service.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '); // and nothing more
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(received).to.match(/^HTTP\/1\.1 408/);
  });
});
