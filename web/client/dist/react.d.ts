import type { Store, StoreState } from "./store.js";
/** The store's state, re-rendering the component on every change. */
export declare function useMicrocos(store: Store): StoreState;
/** A part of the store's state (`select` must return the same value for the same state). */
export declare function useMicrocos<T>(store: Store, select: (state: StoreState) => T): T;
