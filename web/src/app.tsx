import { useEffect } from "react";
import { useAppServices, useSession } from "./app-services.js";
import { AppLink } from "./navigation/app-link.js";
import { navigate, useLocationPath } from "./navigation/navigation.js";
import { paths, type Route, routeFor } from "./navigation/routes.js";
import { DashboardScreen } from "./screens/dashboard-screen.js";
import { OrderScreen } from "./screens/order-screen.js";
import { PlaceOrderScreen } from "./screens/place-order-screen.js";
import { SignInScreen } from "./screens/sign-in-screen.js";
import { SignUpScreen } from "./screens/sign-up-screen.js";

const publicScreens = new Set<Route["screen"]>(["sign-up", "sign-in", "not-found"]);

/** The page frame and the screen for the current URL; signed-out visitors go to sign-in. */
export function App() {
  const route = routeFor(useLocationPath());
  const session = useSession();
  const needsSignIn = !session && !publicScreens.has(route.screen);
  useEffect(() => {
    if (needsSignIn) navigate(paths.signIn, { replace: true });
  }, [needsSignIn]);
  useEffect(() => {
    document.title = `${titles[route.screen]} · Switchyard`;
  }, [route.screen]);
  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <Header />
      <div id="content">{needsSignIn ? null : <Screen route={route} />}</div>
    </>
  );
}

const titles: Record<Route["screen"], string> = {
  dashboard: "Dashboard",
  "sign-up": "Sign up",
  "sign-in": "Sign in",
  "place-order": "Place an order",
  order: "Order",
  "not-found": "Not found",
};

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case "dashboard":
      return <DashboardScreen />;
    case "sign-up":
      return <SignUpScreen />;
    case "sign-in":
      return <SignInScreen />;
    case "place-order":
      return <PlaceOrderScreen />;
    case "order":
      return <OrderScreen key={route.orderId} orderId={route.orderId} />;
    case "not-found":
      return (
        <main>
          <h1>Page not found</h1>
          <AppLink href={paths.dashboard}>Go to the dashboard</AppLink>
        </main>
      );
  }
}

function Header() {
  const { sessions } = useAppServices();
  const session = useSession();
  return (
    <header className="site-header">
      <AppLink href={paths.dashboard} className="brand">
        Switchyard
      </AppLink>
      <nav aria-label="Account">
        {session ? (
          <>
            <AppLink href={paths.placeOrder}>Place an order</AppLink>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                sessions.signOut();
                navigate(paths.signIn);
              }}
            >
              Sign out
            </button>
          </>
        ) : (
          <>
            <AppLink href={paths.signUp}>Sign up</AppLink>
            <AppLink href={paths.signIn}>Sign in</AppLink>
          </>
        )}
      </nav>
    </header>
  );
}
