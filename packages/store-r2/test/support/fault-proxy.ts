import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** What the proxy does to each new connection. */
export type Fault =
  | { kind: 'pass' }
  /** Resets the next `times` connections as soon as they open (Infinity: every one). */
  | { kind: 'reset'; times: number }
  /** Accepts connections and reads requests, but never answers. */
  | { kind: 'blackhole' }
  /** Forwards the response until `afterBytes` bytes (headers included) have gone back, then drops the connection. */
  | { kind: 'cut'; afterBytes: number }
  /** Forwards the response until `afterBytes` bytes have gone back, then holds the connection open in silence. */
  | { kind: 'stall'; afterBytes: number };

/**
 * A TCP proxy on 127.0.0.1 in front of a loopback S3 server, injecting the faults that a real server
 * will not produce on demand. It counts connections, so a test can tell how many attempts were made.
 */
export class FaultProxy {
  /** Connections accepted so far. */
  connections = 0;
  /** Applies to connections opened from now on. */
  fault: Fault = { kind: 'pass' };
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #upstreamPort: number;

  private constructor(server: Server, upstreamPort: number) {
    this.#server = server;
    this.#upstreamPort = upstreamPort;
  }

  /** Starts a proxy for `upstreamEndpoint`, which must be on loopback. */
  static async start(upstreamEndpoint: string): Promise<FaultProxy> {
    const upstream = new URL(upstreamEndpoint);
    if (upstream.hostname !== '127.0.0.1' && upstream.hostname !== 'localhost') {
      throw new Error(`the fault proxy only fronts loopback servers, not ${upstream.hostname}`);
    }
    const server = createServer();
    const proxy = new FaultProxy(server, Number(upstream.port));
    server.on('connection', (socket) => {
      proxy.#accept(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** The endpoint to give the store. */
  get endpoint(): string {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => { resolve(); }));
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  #accept(client: Socket): void {
    this.connections += 1;
    this.#track(client);
    const fault = this.fault;
    if (fault.kind === 'reset' && fault.times > 0) {
      this.fault = { kind: 'reset', times: fault.times - 1 };
      client.resetAndDestroy();
      return;
    }
    if (fault.kind === 'blackhole') {
      client.resume();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: this.#upstreamPort });
    this.#track(upstream);
    client.pipe(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    if (fault.kind === 'pass' || fault.kind === 'reset') {
      upstream.pipe(client);
      return;
    }
    let sent = 0;
    upstream.on('data', (chunk: Buffer) => {
      const room = fault.afterBytes - sent;
      if (room <= 0) return;
      sent += Math.min(room, chunk.byteLength);
      if (chunk.byteLength < room) {
        client.write(chunk);
      } else if (fault.kind === 'cut') {
        client.end(chunk.subarray(0, room), () => client.destroy());
        upstream.destroy();
      } else {
        client.write(chunk.subarray(0, room));
      }
    });
  }
}
