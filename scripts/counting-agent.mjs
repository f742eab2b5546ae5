// An http.Agent that keeps every socket it opens, so a test can tell how many bytes really came in
// from the server (socket.bytesRead, counted by Node as it reads from the kernel), whatever became
// of the response. Shared by the store-r2 and sqs suites, which prove their reads bounded with it.
import { Agent } from 'node:http';

/** An `http.Agent` that counts what its sockets received. */
export class CountingAgent extends Agent {
  #sockets = [];

  constructor(options) {
    super(options);
    const create = this.createConnection.bind(this);
    this.createConnection = (...args) => {
      const socket = create(...args);
      this.#sockets.push(socket);
      return socket;
    };
  }

  /** Bytes received on every socket this agent opened, headers included. */
  get bytesRead() {
    return this.#sockets.reduce((total, socket) => total + socket.bytesRead, 0);
  }

  /** Sockets opened so far. */
  get connections() {
    return this.#sockets.length;
  }

  /** Whether every socket this agent opened is closed: a stopped read left no connection half-read. */
  get allClosed() {
    return this.#sockets.every((socket) => socket.destroyed);
  }
}
