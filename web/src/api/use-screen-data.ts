import { useCallback, useEffect, useState } from "react";
import type { CallFailure } from "./call-failure.js";
import { useCallFailure } from "./use-call-failure.js";

export type ScreenData<T> =
  | { state: "loading" }
  | { state: "loaded"; value: T }
  | { state: "failed"; failure: CallFailure };

/** Loads a screen's data once per `key`, and again on `reload()`; a late answer for an old key is ignored. */
export function useScreenData<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
): { data: ScreenData<T>; reload: () => void } {
  const describeFailure = useCallFailure();
  const [data, setData] = useState<ScreenData<T>>({ state: "loading" });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a new closure each render; `key` and `generation` say when to load again.
  useEffect(() => {
    const abort = new AbortController();
    load(abort.signal).then(
      (value) => {
        if (!abort.signal.aborted) setData({ state: "loaded", value });
      },
      (error: unknown) => {
        if (!abort.signal.aborted) setData({ state: "failed", failure: describeFailure(error) });
      },
    );
    return () => abort.abort();
  }, [key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, reload };
}
