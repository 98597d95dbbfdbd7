// @microcos/client: a typed client of microcos API v1.
export * from "./schemas.js";
export { Cursor, MAX_CURSOR_OPERATIONS } from "./cursor.js";
export { ApiError, CLOSE_RATE_LIMITED, CLOSE_RESUME, CLOSE_TOKEN_EXPIRED, CLOSE_TOO_MANY_SUBSCRIBERS, Connection, PING, PONG, connect, validateClientEvent, } from "./client.js";
