import * as grpc from "@grpc/grpc-js";
import { ConfigError, type ConfigProblem } from "@switchyard/config";
import type { Logger } from "@switchyard/logging";
import { grpcConnectionOf, workloadOfConnection } from "./connection-peer.js";
import { linkerdClientIdHeader, workloadFromLinkerdIdentity } from "./linkerd-identity.js";
import { type CertificateWithNames, workloadFromPeerCertificate } from "./peer-certificate.js";
import {
  createRenewingCertificateProvider,
  type RenewingCertificateProvider,
} from "./renewing-certificate-provider.js";
import { spiffeIdOf } from "./spiffe-id.js";
import { readTlsMaterial, type TlsMaterial } from "./tls-material.js";
import type { WorkloadIdentityConfig } from "./workload-identity-config.js";

/** The part of a grpc-js server call the identity needs (a ServerInterceptingCall or a handler's call). */
export interface PeerCall {
  getAuthContext(): { transportSecurityType?: string; sslPeerCertificate?: CertificateWithNames };
}

/** Credentials and channel options for a client of one server workload: spread into createGrpcClient. */
export interface ClientTransport {
  credentials: grpc.ChannelCredentials;
  channelOptions: Partial<grpc.ChannelOptions>;
  /**
   * The same identity for a Node TLS client (https, http2) of `server`, as of this call: the
   * CA, this workload's certificate and key, and the server's name for SNI. mtls mode only.
   */
  nodeTls?: { ca: Buffer; cert: Buffer; key: Buffer; servername: string };
}

/** How this workload proves who it is, and how it learns who called it. */
export interface WorkloadIdentity {
  readonly workload: string;
  /** "mtls": grpc-js does mutual TLS itself; "linkerd": the Linkerd proxy does, we speak plaintext. */
  readonly mode: "mtls" | "linkerd";
  /** Server credentials: mTLS requiring a client certificate signed by the CA (mtls mode). */
  serverCredentials(): grpc.ServerCredentials;
  /**
   * Transport for calling `server`: presents this workload's certificate and accepts only a
   * server certificate of our CA whose SPIFFE ID names `server` (mtls mode).
   */
  clientTransport(server: string): ClientTransport;
  /**
   * The authenticated workload that made a call, or undefined. mtls mode: the SPIFFE ID of the
   * verified client certificate; `l5d-client-id` is ignored. linkerd mode: `l5d-client-id`, which
   * only the mesh proxy can set.
   */
  callerOf(call: PeerCall, metadata: grpc.Metadata): string | undefined;
  /**
   * The PEM CA, certificate and key in use now, for Node TLS (HTTP/2 servers and clients that
   * are not grpc-js); undefined in linkerd mode, where the proxy does TLS.
   */
  tlsMaterial(): TlsMaterial | undefined;
  /**
   * Calls `listener` with the material whenever a renewed certificate is taken into use (and
   * once at the start); returns the function that stops it. Never called in linkerd mode.
   */
  onTlsRenewal(listener: (material: TlsMaterial) => void): () => void;
  /** Stops watching the TLS files. */
  close(): void;
}

export interface WorkloadIdentityOptions {
  /** This workload's name (its ServiceAccount); its certificate must carry spiffeIdOf(workload). */
  workload: string;
  logger: Logger;
}

/**
 * Builds the workload's identity from its config. Outside MESH_MODE=linkerd the three TLS files
 * are required (no plaintext fallback exists) and checked now: readable, a matching pair, signed
 * by the CA, naming this workload. Throws a ConfigError naming every key at fault.
 */
export function createWorkloadIdentity(
  config: WorkloadIdentityConfig,
  options: WorkloadIdentityOptions,
): WorkloadIdentity {
  const { workload, logger } = options;
  const tlsKeys = ["TLS_CA_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE"] as const;

  if (config.MESH_MODE === "linkerd") {
    const set = tlsKeys.filter((key) => config[key] !== undefined);
    if (set.length > 0) {
      throw new ConfigError(
        set.map((key) => ({
          key,
          variable: key,
          problem: "must be unset when MESH_MODE=linkerd (the Linkerd proxy does mTLS)",
        })),
      );
    }
    logger.info({ workload, mode: "linkerd" }, "workload identity: mTLS by the Linkerd proxy");
    return linkerdIdentity(workload);
  }

  const missing = tlsKeys.filter((key) => config[key] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      missing.map(
        (key): ConfigProblem => ({
          key,
          variable: key,
          problem:
            "required: gRPC runs over mTLS only (run `npm run certs` for dev certificates), unless MESH_MODE=linkerd",
        }),
      ),
    );
  }
  const files = {
    caFile: config.TLS_CA_FILE as string,
    certFile: config.TLS_CERT_FILE as string,
    keyFile: config.TLS_KEY_FILE as string,
  };
  const loaded = readTlsMaterial(files, workload);
  if ("problems" in loaded) throw new ConfigError(loaded.problems);

  const provider = createRenewingCertificateProvider({
    files,
    initial: loaded.material,
    initialSummary: loaded.summary,
    expectedSpiffeId: spiffeIdOf(workload),
    refreshIntervalMs: config.TLS_RELOAD_INTERVAL_MS,
    logger,
  });
  logger.info(
    {
      workload,
      mode: "mtls",
      spiffeId: loaded.summary.spiffeId,
      validTo: loaded.summary.validTo,
      reloadIntervalMs: config.TLS_RELOAD_INTERVAL_MS,
    },
    "workload identity: mTLS with certificates from files",
  );
  return mtlsIdentity(workload, provider);
}

/**
 * `createWorkloadIdentity` for a composition root: a ConfigError goes to stderr and the process
 * exits 78 (EX_CONFIG), like `loadConfigOrExit`.
 */
export function createWorkloadIdentityOrExit(
  config: WorkloadIdentityConfig,
  options: WorkloadIdentityOptions,
): WorkloadIdentity {
  try {
    return createWorkloadIdentity(config, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return process.exit(78);
  }
}

function mtlsIdentity(workload: string, provider: RenewingCertificateProvider): WorkloadIdentity {
  // One provider for CA and identity on purpose: grpc-js 1.14's
  // createCertificateProviderServerCredentials(ca, identity, …) hands its arguments to the
  // constructor in the opposite order, which only cannot matter when both are the same object.
  const server = grpc.experimental.createCertificateProviderServerCredentials(
    provider,
    provider,
    true,
  );
  return {
    workload,
    mode: "mtls",
    serverCredentials: () => server,
    clientTransport(serverWorkload) {
      const expected = spiffeIdOf(serverWorkload);
      const credentials = grpc.experimental.createCertificateProviderChannelCredentials(
        provider,
        provider,
        {
          // SPIFFE-style verification: the chain is checked against our CA by TLS; what is
          // checked here is the workload the certificate names, not the address we dialled
          // (127.0.0.1, a pod IP and a Service name all reach the same workload).
          checkServerIdentity: (_host, certificate) =>
            workloadFromPeerCertificate(certificate) === serverWorkload
              ? undefined
              : new Error(
                  `server certificate does not identify ${expected} (it names ${certificate.subjectaltname ?? "nothing"})`,
                ),
        },
      );
      const material = provider.material();
      return {
        credentials,
        // SNI must be a name, not an IP (RFC 6066); the server certificate carries it as DNS SAN.
        channelOptions: { "grpc.ssl_target_name_override": serverWorkload },
        nodeTls: {
          ca: material.caCertificate,
          cert: material.certificate,
          key: material.privateKey,
          servername: serverWorkload,
        },
      };
    },
    callerOf(call) {
      const connection = grpcConnectionOf(call);
      if (connection !== undefined)
        return workloadOfConnection(connection.socket, connection.session);
      const { sslPeerCertificate } = call.getAuthContext();
      return workloadFromPeerCertificate(sslPeerCertificate);
    },
    tlsMaterial: () => provider.material(),
    onTlsRenewal(listener) {
      const onIdentity = () => listener(provider.material());
      provider.addIdentityCertificateListener(onIdentity);
      return () => provider.removeIdentityCertificateListener(onIdentity);
    },
    close: () => provider.close(),
  };
}

function linkerdIdentity(workload: string): WorkloadIdentity {
  const server = grpc.ServerCredentials.createInsecure();
  const client = grpc.credentials.createInsecure();
  return {
    workload,
    mode: "linkerd",
    serverCredentials: () => server,
    // Plaintext to the local Linkerd proxy, which originates mTLS to the server's proxy.
    clientTransport: () => ({ credentials: client, channelOptions: {} }),
    callerOf(_call, metadata) {
      const values = metadata.get(linkerdClientIdHeader);
      // The proxy sets exactly one value; anything else was not written by it.
      if (values.length !== 1 || typeof values[0] !== "string") return undefined;
      return workloadFromLinkerdIdentity(values[0]);
    },
    tlsMaterial: () => undefined,
    onTlsRenewal: () => () => {},
    close: () => {},
  };
}
