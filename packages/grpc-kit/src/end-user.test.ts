import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { requesterOf } from "./call-context.js";
import { endUserAssertionOf, endUserMetadata, setEndUserMetadata } from "./end-user.js";

describe("end-user metadata", () => {
  it("round-trips a subject and its scopes", () => {
    const metadata = endUserMetadata({ subject: "ada", scopes: ["switchyard:admin", "a/b"] });
    expect(metadata.get("x-switchyard-end-user")).toEqual(["ada"]);
    expect(metadata.get("x-switchyard-scopes")).toEqual(["switchyard:admin a/b"]);
    expect(endUserAssertionOf(metadata)).toEqual({
      kind: "asserted",
      endUser: { subject: "ada", scopes: ["switchyard:admin", "a/b"] },
    });
    expect(endUserAssertionOf(endUserMetadata({ subject: "ada", scopes: [] }))).toEqual({
      kind: "asserted",
      endUser: { subject: "ada", scopes: [] },
    });
  });

  it("says none without metadata, and malformed for doubled, spaced or scope-only values", () => {
    expect(endUserAssertionOf(new grpc.Metadata())).toEqual({ kind: "none" });
    const doubled = endUserMetadata({ subject: "ada", scopes: [] });
    doubled.add("x-switchyard-end-user", "grace");
    expect(endUserAssertionOf(doubled).kind).toBe("malformed");
    const spaced = new grpc.Metadata();
    spaced.set("x-switchyard-end-user", "ada lovelace");
    expect(endUserAssertionOf(spaced).kind).toBe("malformed");
    const scopesOnly = new grpc.Metadata();
    scopesOnly.set("x-switchyard-scopes", "switchyard:admin");
    expect(endUserAssertionOf(scopesOnly).kind).toBe("malformed");
  });

  it("replaces whatever end user the metadata carried, and refuses to send a bad one", () => {
    const metadata = endUserMetadata({ subject: "ada", scopes: ["switchyard:admin"] });
    setEndUserMetadata(metadata, { subject: "grace", scopes: [] });
    expect(metadata.get("x-switchyard-end-user")).toEqual(["grace"]);
    expect(metadata.get("x-switchyard-scopes")).toEqual([]);
    setEndUserMetadata(metadata, undefined);
    expect(endUserAssertionOf(metadata)).toEqual({ kind: "none" });
    expect(() => endUserMetadata({ subject: "", scopes: [] })).toThrow(/subject/);
  });

  it("scopes a requester by workload and end user", () => {
    expect(requesterOf({ caller: "gateway", endUser: undefined })).toBe("gateway");
    expect(requesterOf({ caller: "gateway", endUser: { subject: "ada", scopes: [] } })).toBe(
      "gateway/user:ada",
    );
  });
});
