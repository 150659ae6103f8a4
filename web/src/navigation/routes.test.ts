import { describe, expect, it } from "vitest";
import { paths, routeFor } from "./routes.js";

describe("routes", () => {
  it("maps every path the app links to back to its screen", () => {
    expect(routeFor(paths.dashboard)).toEqual({ screen: "dashboard" });
    expect(routeFor(paths.signUp)).toEqual({ screen: "sign-up" });
    expect(routeFor(paths.placeOrder)).toEqual({ screen: "place-order" });
    expect(routeFor(paths.order("a b"))).toEqual({ screen: "order", orderId: "a b" });
    expect(routeFor("/nope/nope")).toEqual({ screen: "not-found" });
  });
});
