import { describe, expect, it } from "vitest";
import { joinFullName, splitFullName, v1UserField } from "./user-mapping.js";

describe("v1 full_name", () => {
  it("splits at the first run of whitespace: given name, then everything else", () => {
    expect(splitFullName("Ada Lovelace")).toEqual({ givenName: "Ada", familyName: "Lovelace" });
    expect(splitFullName("  Ada \t King  Lovelace ")).toEqual({
      givenName: "Ada",
      familyName: "King  Lovelace",
    });
  });

  it("maps one word to a person with a single name (no family name)", () => {
    expect(splitFullName("Teller")).toEqual({ givenName: "Teller", familyName: "" });
    expect(splitFullName("   ")).toEqual({ givenName: "", familyName: "" });
  });

  it("joins with one space and no stray space around an empty part", () => {
    expect(joinFullName("Ada", "King Lovelace")).toBe("Ada King Lovelace");
    expect(joinFullName("Teller", "")).toBe("Teller");
  });

  it("reports internal name and version fields as the v1 fields", () => {
    expect(["given_name", "family_name", "expected_version", "email"].map(v1UserField)).toEqual([
      "full_name",
      "full_name",
      "version",
      "email",
    ]);
  });
});
