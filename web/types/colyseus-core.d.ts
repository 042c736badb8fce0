// The browser client never imports the server (@colyseus/core). The SDK's own
// declarations do, to type a client by the server's room definitions; through
// express that would bring Node's globals into the web's typecheck, so in
// web/tsconfig.json @colyseus/core resolves to this stand-in instead.
// `any` defaults, as in the SDK: the web client does not type rooms by the server.
export interface SDKTypes<RoomTypes extends Record<string, any> = any, Routes = any> {
  "~rooms"?: RoomTypes;
  "~routes"?: Routes;
}
export declare class Room {}
