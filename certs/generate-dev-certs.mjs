#!/usr/bin/env node
// Creates the dev CA and one mTLS identity per workload with the openssl CLI.
//
//   node certs/generate-dev-certs.mjs [--out <dir>] [--force] [--valid-days <n>]
//                                     [--renew-within-days <n>] [--workloads a,b,...]
//
// Idempotent: keeps what exists and is still good; re-issues a workload certificate that is
// missing, expires within --renew-within-days (default 7), was not issued by the current CA or
// carries other names than expected; --force starts over with a new CA. Files are replaced
// atomically (write, then rename) because running services watch them for renewal.
import { execFileSync } from "node:child_process";
import { randomBytes, X509Certificate } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const trustDomain = "switchyard.local";
const namespace = "switchyard";
const defaultWorkloads = ["user-service", "order-service", "gateway", "web-bff", "devstack"];
const dayMs = 24 * 60 * 60 * 1000;

const { values } = parseArgs({
  options: {
    out: { type: "string", default: fileURLToPath(new URL("./out", import.meta.url)) },
    force: { type: "boolean", default: false },
    "valid-days": { type: "string", default: "365" },
    "renew-within-days": { type: "string", default: "7" },
    workloads: { type: "string", default: defaultWorkloads.join(",") },
    help: { type: "boolean", default: false },
  },
});

if (values.help) {
  process.stdout.write(
    "usage: node certs/generate-dev-certs.mjs [--out <dir>] [--force] [--valid-days <n>] [--renew-within-days <n>] [--workloads a,b]\n",
  );
  process.exit(0);
}

const outDir = resolve(values.out);
const validDays = positiveInteger("--valid-days", values["valid-days"]);
const renewWithinMs = positiveInteger("--renew-within-days", values["renew-within-days"]) * dayMs;
const workloads = values.workloads.split(",").filter((name) => name !== "");
for (const workload of workloads) {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(workload)) {
    fail(`--workloads: "${workload}" is not a Kubernetes service account name (DNS label)`);
  }
}

requireOpenssl();
mkdirSync(outDir, { recursive: true, mode: 0o700 });
const work = mkdtempSync(join(tmpdir(), "switchyard-certs-"));
try {
  const caRenewed = ensureCa();
  for (const workload of workloads) ensureWorkload(workload, caRenewed);
} finally {
  rmSync(work, { recursive: true, force: true });
}

function ensureCa() {
  const certPath = join(outDir, "ca.crt");
  const keyPath = join(outDir, "ca.key");
  const current = readCertificate(certPath);
  // The CA outlives its leaves by far; renewing it means re-issuing every workload.
  const reason = values.force
    ? "--force"
    : current === undefined || !existsSync(keyPath)
      ? "missing"
      : expiresWithin(current, renewWithinMs)
        ? `expires ${current.validTo}`
        : undefined;
  if (reason === undefined) {
    report(`ca: kept (valid until ${current.validTo})`);
    return false;
  }
  const key = join(work, "ca.key");
  const cert = join(work, "ca.crt");
  openssl([
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    String(Math.max(validDays, 3650)),
    "-subj",
    "/O=Switchyard dev/CN=Switchyard dev CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE,pathlen:0",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  install(key, keyPath);
  install(cert, certPath);
  report(`ca: created (${reason})`);
  return true;
}

function ensureWorkload(workload, caRenewed) {
  const certPath = join(outDir, `${workload}.crt`);
  const keyPath = join(outDir, `${workload}.key`);
  const ca = readCertificate(join(outDir, "ca.crt"));
  const current = readCertificate(certPath);
  const reason = caRenewed
    ? "new CA"
    : current === undefined || !existsSync(keyPath)
      ? "missing"
      : !current.checkIssued(ca) || !current.verify(ca.publicKey)
        ? "not issued by the current CA"
        : current.subjectAltName !== expectedSubjectAltName(workload)
          ? "names changed"
          : expiresWithin(current, renewWithinMs)
            ? `expires ${current.validTo}`
            : undefined;
  if (reason === undefined) {
    report(`${workload}: kept (valid until ${current.validTo})`);
    return;
  }
  const key = join(work, `${workload}.key`);
  const csr = join(work, `${workload}.csr`);
  const cert = join(work, `${workload}.crt`);
  const extensions = join(work, `${workload}.ext`);
  openssl([
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-keyout",
    key,
    "-out",
    csr,
    "-subj",
    `/O=Switchyard dev/CN=${workload}`,
  ]);
  writeText(
    extensions,
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      // One certificate serves both directions of mTLS: a workload is server and client.
      "extendedKeyUsage=serverAuth,clientAuth",
      `subjectAltName=${sanList(workload)}`,
      "",
    ].join("\n"),
  );
  openssl([
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    join(outDir, "ca.crt"),
    "-CAkey",
    join(outDir, "ca.key"),
    "-set_serial",
    `0x${randomBytes(16).toString("hex")}`,
    "-days",
    String(validDays),
    "-extfile",
    extensions,
    "-out",
    cert,
  ]);
  // Key first: a watcher that reads between the two renames sees a mismatched pair, which
  // @switchyard/workload-identity rejects (keeping the previous pair) until the next read.
  install(key, keyPath);
  install(cert, certPath);
  report(`${workload}: issued (${reason}), ${spiffeId(workload)}`);
}

function spiffeId(workload) {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${workload}`;
}

function sanList(workload) {
  return [
    `URI:${spiffeId(workload)}`,
    `DNS:${workload}`,
    `DNS:${workload}.${namespace}.svc.cluster.local`,
    "DNS:localhost",
    "IP:127.0.0.1",
  ].join(",");
}

// X509Certificate#subjectAltName spells the same names this way.
function expectedSubjectAltName(workload) {
  return [
    `URI:${spiffeId(workload)}`,
    `DNS:${workload}`,
    `DNS:${workload}.${namespace}.svc.cluster.local`,
    "DNS:localhost",
    "IP Address:127.0.0.1",
  ].join(", ");
}

function readCertificate(path) {
  if (!existsSync(path)) return undefined;
  try {
    return new X509Certificate(readFileSync(path));
  } catch {
    return undefined;
  }
}

function expiresWithin(certificate, ms) {
  return new Date(certificate.validTo).getTime() - Date.now() < ms;
}

function install(from, to) {
  const staged = `${to}.tmp-${process.pid}`;
  writeText(staged, readFileSync(from, "utf8"), to.endsWith(".key") ? 0o600 : 0o644);
  renameSync(staged, to);
}

function writeText(path, text, mode = 0o600) {
  // writeFileSync applies `mode` only when it creates the file: remove first so the mode holds.
  rmSync(path, { force: true });
  writeFileSync(path, text, { mode });
}

function openssl(args) {
  try {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    const stderr = error.stderr ? String(error.stderr).trim() : error.message;
    fail(`openssl ${args[0]} failed: ${stderr}`);
  }
}

function requireOpenssl() {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
  } catch {
    fail(
      "the openssl CLI was not found on PATH; install it (Debian/Ubuntu: apt-get install -y openssl) and run again",
    );
  }
}

function positiveInteger(flag, text) {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    fail(`${flag} must be a positive integer (got "${text}")`);
  return value;
}

function report(line) {
  process.stdout.write(`certs: ${line}\n`);
}

function fail(message) {
  process.stderr.write(`certs: ${message}\n`);
  process.exit(1);
}
