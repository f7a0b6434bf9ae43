/** Small hooks the pages share: loading data, ticking clocks, moving focus. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  /** Loads again, keeping the data shown until the new data is there. */
  reload(): Promise<void>;
}

/** Runs `load` when `deps` change; the last answer wins, an older one arriving late is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({
    loading: true,
  });
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === seq.current) setState({ data, loading: false });
    } catch (err) {
      if (mine === seq.current) setState((s) => ({ ...s, error: err as Error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { ...state, reload };
}

/** Calls `fn` every `ms` while `on`; stops when the component goes. */
export function useInterval(fn: () => void, ms: number, on = true): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => saved.current(), ms);
    return () => clearInterval(t);
  }, [ms, on]);
}

/** The current time, updated every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useInterval(() => setNow(Date.now()), ms);
  return now;
}

/** A ref to put on a heading or panel, and a function that moves keyboard focus there (after the next paint). */
export function useFocusTarget<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const focus = useCallback(() => {
    requestAnimationFrame(() => ref.current?.focus());
  }, []);
  return [ref, focus] as const;
}
