/** The app's screens, by URL. */
export type Route =
  | { screen: "dashboard" }
  | { screen: "sign-up" }
  | { screen: "sign-in" }
  | { screen: "place-order" }
  | { screen: "order"; orderId: string }
  | { screen: "not-found" };

export const paths = {
  dashboard: "/",
  signUp: "/sign-up",
  signIn: "/sign-in",
  placeOrder: "/orders/new",
  order: (orderId: string) => `/orders/${encodeURIComponent(orderId)}`,
};

export function routeFor(path: string): Route {
  if (path === "/" || path === "") return { screen: "dashboard" };
  if (path === paths.signUp) return { screen: "sign-up" };
  if (path === paths.signIn) return { screen: "sign-in" };
  if (path === paths.placeOrder) return { screen: "place-order" };
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order?.[1]) return { screen: "order", orderId: decodeURIComponent(order[1]) };
  return { screen: "not-found" };
}
