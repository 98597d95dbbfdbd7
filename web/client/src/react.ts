// @microcos/client/react: the store (`@microcos/client/store`) in React.
//
//   const store = useMemo(() => createStore({ baseUrl: "", token, replica }), [token]);
//   const { messages, tasks, connection, awaiting } = useMicrocos(store);
//
// `react` is an optional peer dependency: only this entry point needs it.

import { useSyncExternalStore } from "react";
import type { Store, StoreState } from "./store.js";

/** The store's state, re-rendering the component on every change. */
export function useMicrocos(store: Store): StoreState;
/** A part of the store's state (`select` must return the same value for the same state). */
export function useMicrocos<T>(store: Store, select: (state: StoreState) => T): T;
export function useMicrocos<T>(store: Store, select?: (state: StoreState) => T): T | StoreState {
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
  return select ? select(state) : state;
}
