// Proxies on 127.0.0.1. forwardingProxy is a real one: CONNECT tunnels and absolute-form HTTP requests,
// optionally demanding Basic credentials, recording what went through it. hostileProxy misbehaves the ways
// an attacker's (or a broken) proxy can: it accepts connections and never answers, answers CONNECT and
// then goes silent, or answers every request itself with a page that echoes what it was sent.
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface Proxy {
  url: string;
  /** "CONNECT host:port" or "POST http://..." for each request that went through. */
  seen: string[];
  close(): Promise<void>;
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[?::1\]?)$/;

export async function forwardingProxy(credentials?: { username: string; password: string }): Promise<Proxy> {
  const seen: string[] = [];
  const expected = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}` : undefined;
  const authorized = (req: IncomingMessage) => !expected || req.headers["proxy-authorization"] === expected;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (!authorized(req)) {
      res.writeHead(407, { "proxy-authenticate": 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? "");
    if (!LOOPBACK.test(target.hostname)) {
      res.writeHead(502).end();
      return;
    }
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    if (!authorized(req)) {
      client.end("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n\r\n");
      return;
    }
    const [host, port] = (req.url ?? "").split(":");
    // Tests reach nothing but this machine: a tunnel to anywhere else is recorded and refused, never dialled.
    if (!LOOPBACK.test(host ?? "")) {
      client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return listening(server, seen, sockets);
}

/** What a proxy sent to the client: the request line and the Proxy-Authorization it got. */
export interface Sent {
  request: string;
  proxyAuthorization: string | undefined;
}

/**
 * - "silent": accepts the connection, reads, never answers (not even CONNECT);
 * - "silent-tunnel": answers CONNECT with 200, then never says a word (a TLS handshake waits forever);
 * - a function: answers CONNECT with 200, then answers the request inside the tunnel (or a plain
 *   absolute-form request) itself, with whatever the function writes; it is given what the client sent.
 */
export async function hostileProxy(mode: "silent" | "silent-tunnel" | ((sent: Sent, res: ServerResponse) => void)): Promise<Proxy & { allClosed(): Promise<void> }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  let emptied: (() => void)[] = [];
  const track = (s: Socket) => {
    sockets.add(s);
    s.on("close", () => {
      sockets.delete(s);
      if (sockets.size === 0) for (const resolve of emptied.splice(0)) resolve();
    });
    s.on("error", () => undefined);
    // An HTTP server's sockets stay half open when the client closes: the client closing is the end here.
    s.on("end", () => s.destroy());
  };
  /** Resolves once a client has come and every connection to the proxy is closed. */
  const allClosed = () => new Promise<void>((resolve) => (sockets.size === 0 && seen.length > 0 ? resolve() : emptied.push(resolve)));
  if (mode === "silent") {
    const server = createTcpServer((s) => {
      track(s);
      s.on("data", (d: Buffer) => seen.push(d.toString("latin1").split("\r\n")[0]!));
    });
    return { ...(await listening(server, seen, sockets)), allClosed };
  }
  const proxyAuthorizations = new Map<Socket, string | undefined>();
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${req.url}`);
    const proxyAuthorization = (req.headers["proxy-authorization"] as string | undefined) ?? proxyAuthorizations.get(req.socket);
    if (typeof mode === "function") mode({ request: `${req.method} ${req.url}`, proxyAuthorization }, res);
  };
  const server = createServer(answer);
  server.on("connection", track);
  server.on("connect", (req: IncomingMessage, client: Socket) => {
    seen.push(`CONNECT ${req.url}`);
    client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    // Read (and drop) what comes through the tunnel, so that the client closing it is seen.
    if (mode === "silent-tunnel") return void client.resume();
    // The tunnel's far end is this same server: the request inside it is answered here.
    proxyAuthorizations.set(client, req.headers["proxy-authorization"]);
    server.emit("connection", client);
  });
  return { ...(await listening(server, seen, sockets)), allClosed };
}

async function listening(server: Server, seen: string[], sockets: Set<Socket>): Promise<Proxy> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
