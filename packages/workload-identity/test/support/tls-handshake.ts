import { readFileSync } from "node:fs";
import * as tls from "node:tls";

export type HandshakeOutcome =
  | { outcome: "accepted"; serverSerial: string }
  | { outcome: "rejected"; reason: string };

/**
 * A raw TLS (ALPN h2) handshake with the server at 127.0.0.1:`port`, to observe the transport
 * itself rather than a gRPC status. With TLS 1.3 the client finishes first and the server judges
 * the client certificate afterwards, so "accepted" means the server went on to send its HTTP/2
 * preface; "rejected" means it closed or alerted before that.
 */
export function tlsHandshake(
  port: number,
  client: { caFile: string; certFile?: string; keyFile?: string },
): Promise<HandshakeOutcome> {
  return new Promise((resolve) => {
    let serverSerial = "";
    let settled = false;
    const settle = (outcome: HandshakeOutcome) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      servername: "localhost",
      ca: readFileSync(client.caFile),
      ...(client.certFile ? { cert: readFileSync(client.certFile) } : {}),
      ...(client.keyFile ? { key: readFileSync(client.keyFile) } : {}),
      ALPNProtocols: ["h2"],
    });
    socket.once("secureConnect", () => {
      serverSerial = socket.getPeerCertificate().serialNumber;
    });
    socket.once("data", () => settle({ outcome: "accepted", serverSerial }));
    socket.once("error", (error: NodeJS.ErrnoException) =>
      settle({ outcome: "rejected", reason: error.code ?? error.message }),
    );
    socket.once("close", () => settle({ outcome: "rejected", reason: "closed" }));
    setTimeout(() => settle({ outcome: "rejected", reason: "no answer within 3 s" }), 3000);
  });
}
