import { TLSSocket } from "node:tls";
import { type CertificateWithNames, workloadFromPeerCertificate } from "./peer-certificate.js";

// The verified peer of a TLS connection cannot change while the connection is open (HTTP/2
// forbids renegotiation, TLS 1.3 has none), but node:tls's getPeerCertificate() builds a new
// object, three fingerprints included, on every call: ~115 µs per call on the 2-core machine of
// docs/benchmarks.md, ~7% of a user-service GetUser. So the caller's workload is worked out once
// per connection and kept with it (a WeakMap: it goes when the connection does).

/** The part of a TLS socket the identity reads (node:tls, or node:http2's proxy for one). */
export interface VerifiedSocket {
  authorized?: boolean;
  getPeerCertificate?(): CertificateWithNames;
}

const workloadByConnection = new WeakMap<object, string | undefined>();

/**
 * The workload named by the verified client certificate of `socket`, read once per
 * `connection` (the socket itself, or the HTTP/2 session it carries); undefined when the peer
 * was not verified or names no single workload.
 */
export function workloadOfConnection(
  socket: VerifiedSocket,
  connection: object = socket,
): string | undefined {
  if (socket.authorized !== true || socket.getPeerCertificate === undefined) return undefined;
  if (workloadByConnection.has(connection)) return workloadByConnection.get(connection);
  const workload = workloadFromPeerCertificate(socket.getPeerCertificate());
  workloadByConnection.set(connection, workload);
  return workload;
}

interface GrpcCallInternals {
  nextCall?: unknown;
  call?: unknown;
  stream?: { session?: { socket?: unknown } };
}

/**
 * The HTTP/2 session and TLS socket a grpc-js server call arrived on. grpc-js does not expose
 * them: its innermost call object holds the stream (`stream`), interceptors wrap it
 * (`nextCall`), a handler's call wraps that (`call`). Not public API, so anything unexpected
 * answers undefined and the caller reads the certificate the public way (getAuthContext()).
 */
export function grpcConnectionOf(
  call: unknown,
): { session: object; socket: TLSSocket } | undefined {
  let current = call as GrpcCallInternals | undefined;
  for (let depth = 0; depth < 64 && typeof current === "object" && current !== null; depth++) {
    const session = current.stream?.session;
    if (session !== undefined) {
      const socket = session.socket;
      return socket instanceof TLSSocket ? { session, socket } : undefined;
    }
    current = (current.nextCall ?? current.call) as GrpcCallInternals | undefined;
  }
  return undefined;
}
