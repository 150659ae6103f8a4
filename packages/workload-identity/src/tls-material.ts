import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ConfigProblem } from "@switchyard/config";
import { spiffeIdsOf } from "./peer-certificate.js";
import { spiffeIdOf } from "./spiffe-id.js";

/** The three PEM files of a workload identity, as read from disk. */
export interface TlsMaterial {
  caCertificate: Buffer;
  certificate: Buffer;
  privateKey: Buffer;
}

/** What a valid identity certificate says about itself (safe to log: no key material). */
export interface CertificateSummary {
  spiffeId: string;
  serialNumber: string;
  validTo: string;
}

export interface TlsFiles {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/**
 * Reads and checks the TLS files at start, so a bad mount fails with the variable at fault
 * instead of a handshake error later. Problems never quote file contents.
 */
export function readTlsMaterial(
  files: TlsFiles,
  workload: string,
): { material: TlsMaterial; summary: CertificateSummary } | { problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const read = (key: "TLS_CA_FILE" | "TLS_CERT_FILE" | "TLS_KEY_FILE", path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push({ key, variable: key, problem: `cannot read ${path}: ${reason}` });
      return undefined;
    }
  };
  const caCertificate = read("TLS_CA_FILE", files.caFile);
  const certificate = read("TLS_CERT_FILE", files.certFile);
  const privateKey = read("TLS_KEY_FILE", files.keyFile);
  if (caCertificate === undefined || certificate === undefined || privateKey === undefined) {
    return { problems };
  }
  const material = { caCertificate, certificate, privateKey };
  const checked = checkTlsMaterial(material, spiffeIdOf(workload));
  if ("problem" in checked) {
    const { key, problem } = checked.problem;
    return { problems: [{ key, variable: key, problem }] };
  }
  return { material, summary: checked.summary };
}

/**
 * Checks that the certificate is signed by the CA, matches the private key, is currently valid
 * and carries exactly `expectedSpiffeId`. Used at start and for every renewal read.
 */
export function checkTlsMaterial(
  material: TlsMaterial,
  expectedSpiffeId: string,
):
  | { summary: CertificateSummary }
  | { problem: { key: "TLS_CA_FILE" | "TLS_CERT_FILE" | "TLS_KEY_FILE"; problem: string } } {
  let ca: X509Certificate;
  let certificate: X509Certificate;
  try {
    ca = new X509Certificate(material.caCertificate);
  } catch {
    return { problem: { key: "TLS_CA_FILE", problem: "is not a PEM certificate" } };
  }
  try {
    certificate = new X509Certificate(material.certificate);
  } catch {
    return { problem: { key: "TLS_CERT_FILE", problem: "is not a PEM certificate" } };
  }
  try {
    if (!certificate.checkPrivateKey(createPrivateKey(material.privateKey))) {
      return { problem: { key: "TLS_KEY_FILE", problem: "does not match TLS_CERT_FILE" } };
    }
  } catch {
    return { problem: { key: "TLS_KEY_FILE", problem: "is not a PEM private key" } };
  }
  if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) {
    return { problem: { key: "TLS_CERT_FILE", problem: "is not signed by TLS_CA_FILE" } };
  }
  const now = Date.now();
  if (new Date(certificate.validTo).getTime() <= now) {
    return { problem: { key: "TLS_CERT_FILE", problem: `expired on ${certificate.validTo}` } };
  }
  if (new Date(certificate.validFrom).getTime() > now) {
    return {
      problem: { key: "TLS_CERT_FILE", problem: `is not valid before ${certificate.validFrom}` },
    };
  }
  const spiffeIds = spiffeIdsOf(certificate.subjectAltName);
  if (spiffeIds.length !== 1 || spiffeIds[0] !== expectedSpiffeId) {
    const found = spiffeIds.length === 0 ? "no SPIFFE ID" : spiffeIds.join(", ");
    return {
      problem: {
        key: "TLS_CERT_FILE",
        problem: `identifies ${found}, expected ${expectedSpiffeId}`,
      },
    };
  }
  return {
    summary: {
      spiffeId: expectedSpiffeId,
      serialNumber: certificate.serialNumber,
      validTo: certificate.validTo,
    },
  };
}
