import { Agent, type AgentOptions } from 'node:http';

/** An `http.Agent` that counts what its sockets received. */
export declare class CountingAgent extends Agent {
  constructor(options?: AgentOptions);
  /** Bytes received on every socket this agent opened, headers included. */
  get bytesRead(): number;
  /** Sockets opened so far. */
  get connections(): number;
  /** Whether every socket this agent opened is closed. */
  get allClosed(): boolean;
}
