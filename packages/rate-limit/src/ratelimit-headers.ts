/** One policy's line in the two header fields of draft-ietf-httpapi-ratelimit-headers-11. */
export interface RateLimitItem {
  /** Policy name: a structured-field String ("reads"). */
  name: string;
  /** `q`: the quota the policy allocates per window. */
  quota: number;
  /** `w`: the window in seconds. */
  windowSeconds: number;
  /** `r`: remaining quota units. */
  remaining: number;
  /** `t`: seconds until the quota is fully available again. */
  resetSeconds: number;
}

/** A structured-field String: quoted, with `\` and `"` escaped; printable ASCII only. */
function sfString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) {
    throw new RangeError(`policy name ${JSON.stringify(value)} is not printable ASCII`);
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A structured-field Integer (at most 15 digits). */
function sfInteger(value: number): string {
  if (!Number.isSafeInteger(value) || Math.abs(value) > 999_999_999_999_999) {
    throw new RangeError(`${value} is not a structured-field integer`);
  }
  return String(value);
}

/**
 * The two response fields, as structured-field Lists (RFC 9651) of policy names with
 * parameters: `RateLimit-Policy: "reads";q=100;w=60, "daily";q=1000;w=86400` and
 * `RateLimit: "reads";r=50;t=30, "daily";r=990;t=3600`.
 */
export function rateLimitHeaders(items: readonly RateLimitItem[]): {
  "RateLimit-Policy": string;
  RateLimit: string;
} {
  return {
    "RateLimit-Policy": items
      .map((i) => `${sfString(i.name)};q=${sfInteger(i.quota)};w=${sfInteger(i.windowSeconds)}`)
      .join(", "),
    RateLimit: items
      .map((i) => `${sfString(i.name)};r=${sfInteger(i.remaining)};t=${sfInteger(i.resetSeconds)}`)
      .join(", "),
  };
}
