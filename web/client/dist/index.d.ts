export * from "./schemas.js";
export { Cursor, MAX_CURSOR_OPERATIONS, type Delivery } from "./cursor.js";
export { ApiError, CLOSE_RATE_LIMITED, CLOSE_RESUME, CLOSE_TOKEN_EXPIRED, CLOSE_TOO_MANY_SUBSCRIBERS, Connection, PING, PONG, connect, validateClientEvent, type ConnectOptions, type ConnectionState, type SnapshotResult, type StateDetail, } from "./client.js";
