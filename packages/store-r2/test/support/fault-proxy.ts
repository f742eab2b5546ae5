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
  | { kind: 'stall'; afterBytes: number }
  /** For the next `times` connections, forwards the request, so the server acts on it, then drops the connection before any of the response. */
  | { kind: 'lose-response'; times: number }
  /** Forwards `afterBytes` bytes of the request, then stops reading it: a network stalled mid-upload. */
  | { kind: 'stall-upload'; afterBytes: number }
  /** Forwards `afterBytes` bytes of the request, then resets the connection: small requests pass, large ones fail at once. */
  | { kind: 'cut-upload'; afterBytes: number }
  /**
   * Forwards both ways at most `bytes` bytes every `everyMs`: a slow link that keeps moving. With
   * `fastAfterBytes`, the link runs at full speed once the proxy has read that many request bytes.
   */
  | { kind: 'throttle'; bytes: number; everyMs: number; fastAfterBytes?: number }
  /** Forwards the request, then the response one byte every `everyMs`: headers that never stop arriving nor finish. */
  | { kind: 'trickle-response'; everyMs: number };

/**
 * A TCP proxy on 127.0.0.1 in front of a loopback S3 server, injecting the faults that a real server
 * will not produce on demand. It counts connections, so a test can tell how many attempts were made.
 */
export class FaultProxy {
  /** Connections accepted so far. */
  connections = 0;
  /** Request bytes the proxy read from the store so far, forwarded or not. */
  bytesFromClient = 0;
  /** Response bytes the proxy passed back to the store so far. */
  bytesToClient = 0;
  /** Applies to connections opened from now on. */
  fault: Fault = { kind: 'pass' };
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #upstreamPort: number;
  readonly #byteWaiters = new Set<{ bytes: number; resolve: () => void }>();

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

  /** Back to passing everything through, with every counter at zero. */
  reset(): void {
    this.fault = { kind: 'pass' };
    this.connections = 0;
    this.bytesFromClient = 0;
    this.bytesToClient = 0;
  }

  /** Resolves once the store has sent at least `bytes` request bytes through the proxy. */
  receivedFromClient(bytes: number): Promise<void> {
    if (this.bytesFromClient >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.#byteWaiters.add({ bytes, resolve }));
  }

  /** Drops every open connection, so that a client cannot reuse one opened under an earlier fault. */
  dropConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
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
    client.on('data', (chunk: Buffer) => {
      this.bytesFromClient += chunk.byteLength;
      for (const waiter of this.#byteWaiters) {
        if (this.bytesFromClient < waiter.bytes) continue;
        this.#byteWaiters.delete(waiter);
        waiter.resolve();
      }
    });
    // Every way a response reaches the store (pipe, throttle, trickle, cut) goes through write().
    const write = client.write.bind(client);
    client.write = (chunk: Buffer, ...rest: never[]) => {
      this.bytesToClient += chunk.byteLength;
      return write(chunk, ...rest);
    };
    const fault = this.fault;
    if (fault.kind === 'lose-response') this.fault = fault.times > 1 ? { kind: 'lose-response', times: fault.times - 1 } : { kind: 'pass' };
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
    if (fault.kind === 'throttle') {
      // Each side closes once what the other sent has trickled through.
      const fast = () => fault.fastAfterBytes !== undefined && this.bytesFromClient >= fault.fastAfterBytes;
      throttle(client, upstream, fault.bytes, fault.everyMs, fast);
      throttle(upstream, client, fault.bytes, fault.everyMs, fast);
      return;
    }
    client.on('close', () => upstream.destroy());
    // A stalled response stays stalled: the server closing its side once it has sent everything
    // (as RGW does at once on loopback) must not end the client's connection for it.
    upstream.on('close', () => {
      if (fault.kind !== 'stall') client.destroy();
    });
    if (fault.kind === 'stall-upload' || fault.kind === 'cut-upload') {
      stallAfter(client, upstream, fault.afterBytes, fault.kind === 'cut-upload');
      upstream.pipe(client);
      return;
    }
    client.pipe(upstream);
    if (fault.kind === 'trickle-response') {
      trickle(upstream, client, fault.everyMs);
      return;
    }
    if (fault.kind === 'pass' || fault.kind === 'reset') {
      upstream.pipe(client);
      return;
    }
    if (fault.kind === 'lose-response') {
      upstream.once('data', () => {
        client.destroy();
        upstream.destroy();
      });
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

/**
 * Moves at most `bytes` bytes from `from` to `to` every `everyMs`, holding back the rest; ends `to`
 * once all has gone. Once `fast()` holds, everything held and everything after goes at once.
 */
function throttle(from: Socket, to: Socket, bytes: number, everyMs: number, fast: () => boolean): void {
  let held = Buffer.alloc(0);
  let ended = false;
  from.on('data', (chunk: Buffer) => {
    held = Buffer.concat([held, chunk]);
    // Backpressure: the sender sees a slow link, not a fast one with a big buffer.
    if (held.byteLength > bytes && !fast()) from.pause();
  });
  from.on('end', () => {
    ended = true;
  });
  const timer = setInterval(() => {
    if (held.byteLength > 0) {
      const room = fast() ? held.byteLength : bytes;
      to.write(held.subarray(0, room));
      held = held.subarray(room);
      if (held.byteLength <= bytes || fast()) from.resume();
    }
    if (ended && held.byteLength === 0) {
      clearInterval(timer);
      to.end();
    }
  }, everyMs);
  to.on('close', () => {
    clearInterval(timer);
  });
}

/** Passes what `from` sends on to `to` one byte every `everyMs`. */
function trickle(from: Socket, to: Socket, everyMs: number): void {
  let held = Buffer.alloc(0);
  from.on('data', (chunk: Buffer) => {
    held = Buffer.concat([held, chunk]);
  });
  const timer = setInterval(() => {
    if (held.byteLength === 0) return;
    to.write(held.subarray(0, 1));
    held = held.subarray(1);
  }, everyMs);
  to.on('close', () => {
    clearInterval(timer);
  });
}

/** Forwards the first `afterBytes` bytes from `from` to `to`, then stops reading `from`, or resets it. */
function stallAfter(from: Socket, to: Socket, afterBytes: number, reset: boolean): void {
  let forwarded = 0;
  from.on('data', (chunk: Buffer) => {
    const room = afterBytes - forwarded;
    if (room > 0) to.write(chunk.subarray(0, room));
    forwarded += Math.min(room, chunk.byteLength);
    if (forwarded < afterBytes) return;
    if (reset) from.resetAndDestroy();
    else from.pause();
  });
}
