import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { CodecServerHandler } from './codec-server.js';

/**
 * `handler` as a Node `http` request listener: `http.createServer(nodeListener(createCodecServer(…)))`.
 * The request body streams into the handler, which reads at most its `maxRequestBytes`.
 */
export function nodeListener(handler: CodecServerHandler): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    void serve(handler, request, response);
  };
}

async function serve(handler: CodecServerHandler, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const controller = new AbortController();
  response.once('close', () => {
    controller.abort();
  });
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = request.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const answer = await handler(
      new Request(`http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`, {
        method,
        headers,
        signal: controller.signal,
        ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
      }),
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ error: 'internal error' }));
  }
}
