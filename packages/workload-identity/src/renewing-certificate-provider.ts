import * as grpc from "@grpc/grpc-js";
import type { Logger } from "@switchyard/logging";
import {
  type CertificateSummary,
  checkTlsMaterial,
  type TlsFiles,
  type TlsMaterial,
} from "./tls-material.js";

type CertificateProvider = grpc.experimental.CertificateProvider;
type CaListener = grpc.experimental.CaCertificateUpdateListener;
type IdentityListener = grpc.experimental.IdentityCertificateUpdateListener;
type CaUpdate = grpc.experimental.CaCertificateUpdate;
type IdentityUpdate = grpc.experimental.IdentityCertificateUpdate;

/** A grpc-js certificate provider that follows the TLS files and can be stopped. */
export interface RenewingCertificateProvider extends CertificateProvider {
  /** The certificate currently served and presented. */
  current(): CertificateSummary;
  /** The PEM files in use now (the last valid read), for Node TLS servers and clients. */
  material(): TlsMaterial;
  /** Stops watching the files (grpc-js also stops once no server or channel uses it). */
  close(): void;
}

export interface RenewingCertificateProviderOptions {
  files: TlsFiles;
  /** What was read and checked at start: served at once, so no connection waits for a read. */
  initial: TlsMaterial;
  initialSummary: CertificateSummary;
  expectedSpiffeId: string;
  refreshIntervalMs: number;
  logger: Logger;
}

/**
 * Wraps grpc-js's FileWatcherCertificateProvider, which re-reads the files every
 * `refreshIntervalMs` and passes on whatever it read. Passing on a half-renewed pair (new key,
 * old certificate, mid-rename) would make every new handshake fail until the next read, so each
 * read is checked first (`checkTlsMaterial`): a pair that does not match, is not signed by the
 * CA or names another workload is logged and ignored, and the last good pair stays in use.
 */
export function createRenewingCertificateProvider(
  options: RenewingCertificateProviderOptions,
): RenewingCertificateProvider {
  const { logger, expectedSpiffeId } = options;
  let latest = options.initial;
  let summary = options.initialSummary;
  const caListeners = new Set<CaListener>();
  const identityListeners = new Set<IdentityListener>();
  let watcher: grpc.experimental.FileWatcherCertificateProvider | undefined;
  let readCa: Buffer | undefined;
  let readIdentity: IdentityUpdate | undefined;
  let lastRejection: string | undefined;

  function consider(): void {
    const candidate: TlsMaterial = {
      caCertificate: readCa ?? latest.caCertificate,
      certificate: readIdentity?.certificate ?? latest.certificate,
      privateKey: readIdentity?.privateKey ?? latest.privateKey,
    };
    if (
      candidate.caCertificate.equals(latest.caCertificate) &&
      candidate.certificate.equals(latest.certificate) &&
      candidate.privateKey.equals(latest.privateKey)
    ) {
      return;
    }
    const checked = checkTlsMaterial(candidate, expectedSpiffeId);
    if ("problem" in checked) {
      const rejection = `${checked.problem.key} ${checked.problem.problem}`;
      // The watcher re-reads every interval: say it once per distinct problem, not every time.
      if (rejection !== lastRejection) {
        logger.warn(
          { problem: rejection },
          "ignoring changed TLS files that do not form a valid identity; the previous certificate stays in use",
        );
        lastRejection = rejection;
      }
      return;
    }
    lastRejection = undefined;
    latest = candidate;
    summary = checked.summary;
    logger.info(
      { spiffeId: summary.spiffeId, serialNumber: summary.serialNumber, validTo: summary.validTo },
      "TLS certificate renewed; new connections use it",
    );
    for (const listener of caListeners) listener(caUpdate());
    for (const listener of identityListeners) listener(identityUpdate());
  }

  const onCaRead: CaListener = (update) => {
    if (update === null) return; // unreadable for now (mid-rename): keep what we have
    readCa = update.caCertificate;
    consider();
  };
  const onIdentityRead: IdentityListener = (update) => {
    if (update === null) return;
    readIdentity = update;
    consider();
  };

  function startWatching(): void {
    if (watcher) return;
    watcher = new grpc.experimental.FileWatcherCertificateProvider({
      caCertificateFile: options.files.caFile,
      certificateFile: options.files.certFile,
      privateKeyFile: options.files.keyFile,
      refreshIntervalMs: options.refreshIntervalMs,
    });
    watcher.addCaCertificateListener(onCaRead);
    watcher.addIdentityCertificateListener(onIdentityRead);
  }

  function stopWatchingIfUnused(): void {
    if (caListeners.size > 0 || identityListeners.size > 0 || !watcher) return;
    watcher.removeCaCertificateListener(onCaRead);
    watcher.removeIdentityCertificateListener(onIdentityRead);
    watcher = undefined;
  }

  const caUpdate = (): CaUpdate => ({ caCertificate: latest.caCertificate });
  const identityUpdate = (): IdentityUpdate => ({
    certificate: latest.certificate,
    privateKey: latest.privateKey,
  });

  return {
    addCaCertificateListener(listener) {
      caListeners.add(listener);
      startWatching();
      process.nextTick(() => caListeners.has(listener) && listener(caUpdate()));
    },
    removeCaCertificateListener(listener) {
      caListeners.delete(listener);
      stopWatchingIfUnused();
    },
    addIdentityCertificateListener(listener) {
      identityListeners.add(listener);
      startWatching();
      process.nextTick(() => identityListeners.has(listener) && listener(identityUpdate()));
    },
    removeIdentityCertificateListener(listener) {
      identityListeners.delete(listener);
      stopWatchingIfUnused();
    },
    current: () => summary,
    material: () => latest,
    close() {
      caListeners.clear();
      identityListeners.clear();
      stopWatchingIfUnused();
    },
  };
}
