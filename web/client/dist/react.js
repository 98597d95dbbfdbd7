// @microcos/client/react: the store (`@microcos/client/store`) in React.
//
//   const store = useMemo(() => createStore({ baseUrl: "", token, replica }), [token]);
//   const { messages, tasks, connection, awaiting } = useMicrocos(store);
//
// `react` is an optional peer dependency: only this entry point needs it.
import { useSyncExternalStore } from "react";
export function useMicrocos(store, select) {
    const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);
    return select ? select(state) : state;
}
