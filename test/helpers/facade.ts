// A loopback stand-in for Exchange's Maven facade, answering as the real one does (see README, "The Exchange
// probe"): a request without credentials gets 401 with a Basic challenge; the exact connected-app header gets
// the artifact (200) or 404 when it does not exist, or 403 when the app's scopes do not reach the group; any
// other credentials get 401. Paths outside the facade's prefix get 404, as any other web server answers them.
import type { Handler } from "./anypoint";

export type FacadeMode = "accept" | "forbid";

/** The header Maven sends for a connected app. */
export const basicFor = (clientId: string, secret: string): string => `Basic ${Buffer.from(`~~~Client~~~:${clientId}~?~${secret}`, "utf8").toString("base64")}`;

export function facade(clientId: string, secret: string, { prefix = "/api/v3/maven/", mode = "accept" as FacadeMode, existing = [] as string[] } = {}): Handler {
  return (req, res) => {
    if (!req.url.startsWith(prefix)) {
      res.writeHead(404, { "content-type": "text/html" }).end("<html>Not Found</html>");
      return;
    }
    const auth = req.headers.authorization;
    if (auth === undefined || auth !== basicFor(clientId, secret)) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="Exchange"', "content-type": "application/json" }).end('{"status":401,"message":"Unauthorized"}');
      return;
    }
    if (mode === "forbid") {
      res.writeHead(403, { "content-type": "application/json" }).end('{"status":403,"message":"Forbidden"}');
      return;
    }
    const found = existing.includes(req.url.slice(prefix.length));
    res.writeHead(found ? 200 : 404, { "content-type": found ? "application/xml" : "application/json" }).end(found ? "<metadata/>" : '{"status":404,"message":"Not found"}');
  };
}
