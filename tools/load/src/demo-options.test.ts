import { describe, expect, it } from "vitest";
import { parseDemoOptions } from "./demo-options.js";

describe("parseDemoOptions", () => {
  it("has defaults that finish in about 20 seconds, against the local gateway", () => {
    const options = parseDemoOptions([], {});
    expect(options).toMatchObject({
      users: 50,
      orders: 250,
      seconds: 20,
      gatewayUrl: "http://127.0.0.1:8080",
    });
  });

  it("takes flags and GATEWAY_URL", () => {
    const options = parseDemoOptions(
      ["--users", "3", "--orders=9", "--seconds", "5", "--seed", "7"],
      {
        GATEWAY_URL: "http://10.0.0.5:9090/",
      },
    );
    expect(options).toEqual({
      users: 3,
      orders: 9,
      seconds: 5,
      seed: 7,
      gatewayUrl: "http://10.0.0.5:9090",
    });
  });

  it("finds the gateway of `npm start` run with DEVSTACK_PORT_OFFSET, and names a bad offset", () => {
    expect(parseDemoOptions([], { DEVSTACK_PORT_OFFSET: "3000" })).toMatchObject({
      gatewayUrl: "http://127.0.0.1:11080",
    });
    expect(() => parseDemoOptions([], { DEVSTACK_PORT_OFFSET: "-5" })).toThrow(
      'DEVSTACK_PORT_OFFSET must be an integer 0..10000, got "-5"',
    );
  });

  it("names the flag that is wrong", () => {
    expect(() => parseDemoOptions(["--orders=0"], {})).toThrow(
      '--orders must be a positive integer, got "0"',
    );
    expect(() => parseDemoOptions(["--user", "3"], {})).toThrow(/--user/);
  });
});
