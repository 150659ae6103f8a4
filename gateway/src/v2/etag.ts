import { invalidArgument } from "@switchyard/errors";

// Opaque to clients on purpose: they echo it back, never compute or compare versions. base64url
// keeps it free of quotes, so it drops into JSON and shell commands unescaped.
const etagPattern = /^[A-Za-z0-9_-]{1,40}$/;
const weakTagPattern = /^W\/"([1-9]\d{0,18})"$/;

/** The v2 etag of an internal version: base64url of the weak entity tag `W/"<version>"`. */
export function encodeEtag(version: bigint): string {
  return Buffer.from(`W/"${version}"`).toString("base64url");
}

/**
 * The internal version inside an etag from `encodeEtag`. Anything else — empty, hand-made,
 * truncated — is invalid_argument on `field`, so it can never reach the service as a version.
 */
export function decodeEtag(etag: string, field = "etag"): bigint {
  const weakTag = etagPattern.test(etag) ? Buffer.from(etag, "base64url").toString("utf8") : "";
  const version = weakTagPattern.exec(weakTag)?.[1];
  // Re-encoding catches the non-canonical spellings base64url decoding tolerates.
  if (version === undefined || encodeEtag(BigInt(version)) !== etag) {
    throw invalidArgument([
      {
        field,
        description:
          etag === ""
            ? "is required: send the etag of the user you read"
            : "malformed etag: send the etag of the user you read, unchanged",
      },
    ]);
  }
  return BigInt(version);
}
