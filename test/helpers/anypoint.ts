// A real HTTP server on 127.0.0.1 playing Anypoint's control plane, with a handler set per test.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (req: Received, res: ServerResponse, attempt: number) => void;

export interface ControlPlane {
  url: string;
  requests: Received[];
  handle(handler: Handler): void;
  /** Resolves with the first request since the last handle(): at once if it has already come. */
  received(): Promise<Received>;
  close(): Promise<void>;
}

export async function controlPlane(): Promise<ControlPlane> {
  let handler: Handler = (_, res) => res.writeHead(500).end();
  const requests: Received[] = [];
  let waiting: ((r: Received) => void)[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString("utf8")));
    req.on("end", () => {
      const received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(received);
      for (const resolve of waiting) resolve(received);
      waiting = [];
      handler(received, res, requests.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (h) => {
      handler = h;
      requests.length = 0;
    },
    received: () => (requests[0] ? Promise.resolve(requests[0]) : new Promise((resolve) => waiting.push(resolve))),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replies like Anypoint's token endpoint when the credentials match. */
export function tokenEndpoint(clientId: string, clientSecret: string, token: string): Handler {
  return (req, res) => {
    const form = new URLSearchParams(req.body);
    const ok = req.url === "/accounts/api/v2/oauth2/token" && form.get("client_id") === clientId && form.get("client_secret") === clientSecret && form.get("grant_type") === "client_credentials";
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { access_token: token, token_type: "bearer", expires_in: 3600 } : { error: "invalid_client" }));
  };
}
