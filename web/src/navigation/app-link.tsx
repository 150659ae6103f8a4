import type { AnchorHTMLAttributes, MouseEvent } from "react";
import { navigate } from "./navigation.js";

/** A real link (keyboard, middle click, copy link all work) that navigates inside the app. */
export function AppLink({
  href,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={onClick} {...rest} />;
}
